import { Controller, Delete, Param, Query, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import type { WriteResult } from '../../write-result.js';
import { DeleteSecret } from './delete-secret.use-case.js';

/** DELETE /v1/envs/:env/secrets/:ref?expectedVersion=N: history stays in the log, the name becomes free. */
@Controller()
export class DeleteSecretHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Delete(['v1/envs/:env/secrets/:ref', 'v1/secrets/:ref'])
  @UseInterceptors(WritePositionHeader)
  delete(@Param('env') env: string | undefined, @Param('ref') ref: string, @Query() query: unknown, @HttpCaller() caller: Caller): Promise<WriteResult> {
    return this.pipeline.execute(DeleteSecret, inputFrom(queryInput(query, ['expectedVersion']), { env, ref }), caller);
  }
}
