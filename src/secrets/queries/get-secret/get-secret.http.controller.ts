import { Controller, Get, Param, Query } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { MinPosition } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { valueToJson } from '../../json-value.js';
import { GetSecret } from './get-secret.use-case.js';

/**
 * GET /v1/envs/:env/secrets/:ref[?version=N | ?stage=S][&encoding=base64]: the one response that carries a value,
 * after its access is durable. Text comes as `value`; bytes (or any value with `encoding=base64`) as
 * `valueBase64`. `?at=<position|ISO time>` reads the value as it was then (recorded as a historical read).
 */
@Controller()
export class GetSecretHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Get(['v1/envs/:env/secrets/:ref', 'v1/secrets/:ref'])
  async get(
    @Param('env') env: string | undefined,
    @Param('ref') ref: string,
    @Query() query: unknown,
    @MinPosition() minPosition: unknown,
    @HttpCaller() caller: Caller,
  ): Promise<object> {
    const { encoding, minPosition: _fromQuery, ...rest } = queryInput(query, ['version', 'stage', 'minPosition', 'encoding', 'at']);
    if (encoding !== undefined && encoding !== 'base64' && encoding !== 'text') {
      throw new StrongroomError(ErrorCode.InvalidInput, 'encoding must be text or base64');
    }
    const read = await this.pipeline.execute(GetSecret, inputFrom(rest, { env, ref, minPosition }), caller);
    const { bytes, binary, ...fields } = read;
    return { ...fields, ...valueToJson(bytes, binary, encoding === 'base64') };
  }
}
