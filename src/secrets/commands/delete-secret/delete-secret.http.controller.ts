import { Controller, Delete, Param, Query, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { booleanText, inputFrom, queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import type { DeleteResult } from './delete-secret.command.js';
import { DeleteSecret } from './delete-secret.use-case.js';

/**
 * DELETE /v1/envs/:env/secrets/:ref[?expectedVersion=N&recoveryDays=D&force=true]: starts the recovery
 * window (default 7 days), or with `force=true` purges at once. History stays in the log.
 */
@Controller()
export class DeleteSecretHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Delete(['v1/envs/:env/secrets/:ref', 'v1/secrets/:ref'])
  @UseInterceptors(WritePositionHeader)
  delete(@Param('env') env: string | undefined, @Param('ref') ref: string, @Query() query: unknown, @HttpCaller() caller: Caller): Promise<DeleteResult> {
    const { force, ...rest } = queryInput(query, ['expectedVersion', 'recoveryDays', 'force']);
    return this.pipeline.execute(DeleteSecret, inputFrom({ ...rest, ...(force !== undefined && { force: booleanText(force) }) }, { env, ref }), caller);
  }
}
