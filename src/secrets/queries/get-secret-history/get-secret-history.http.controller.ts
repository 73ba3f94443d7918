import { Controller, Get, Param, Query } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { inputFrom, queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { GetSecretHistory } from './get-secret-history.use-case.js';
import type { SecretHistory, SecretHistoryEntry } from './get-secret-history.query.js';

/** GET .../secrets/:ref/history (every change) and .../secrets/:ref/rotations (value rotations only). */
@Controller()
export class GetSecretHistoryHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Get(['v1/envs/:env/secrets/:ref/history', 'v1/secrets/:ref/history'])
  history(@Param('env') env: string | undefined, @Param('ref') ref: string, @Query() query: unknown, @HttpCaller() caller: Caller): Promise<SecretHistory> {
    return this.pipeline.execute(GetSecretHistory, inputFrom(queryInput(query, []), { env, ref }), caller);
  }

  @Get(['v1/envs/:env/secrets/:ref/rotations', 'v1/secrets/:ref/rotations'])
  async rotations(
    @Param('env') env: string | undefined,
    @Param('ref') ref: string,
    @Query() query: unknown,
    @HttpCaller() caller: Caller,
  ): Promise<{ id: string; name: string; env: string; rotations: readonly SecretHistoryEntry[] }> {
    const { id, name, env: secretEnv, rotations } = await this.pipeline.execute(GetSecretHistory, inputFrom(queryInput(query, []), { env, ref }), caller);
    return { id, name, env: secretEnv, rotations };
  }
}
