import { Controller, Get, Param, Query } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { MinPosition } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { ListSecrets } from './list-secrets.use-case.js';
import type { SecretPage } from './list-secrets.query.js';

/**
 * GET /v1/envs/:env/secrets[?prefix=P&tag=k=v&limit=N&cursor=C]: `{secrets, nextCursor}`, metadata of
 * the secrets the caller may list; never a value or ciphertext. Any other parameter is refused.
 */
@Controller()
export class ListSecretsHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Get(['v1/envs/:env/secrets', 'v1/secrets'])
  list(@Param('env') env: string | undefined, @Query() query: unknown, @MinPosition() minPosition: unknown, @HttpCaller() caller: Caller): Promise<SecretPage> {
    const { minPosition: _fromQuery, ...rest } = queryInput(query, ['minPosition', 'prefix', 'tag', 'limit', 'cursor']);
    return this.pipeline.execute(ListSecrets, inputFrom(rest, { env, minPosition }), caller);
  }
}
