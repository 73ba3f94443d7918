import { Body, Controller, Param, Post, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, jsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { valueFromJson } from '../../json-value.js';
import type { WriteResult } from '../../write-result.js';
import { StoreSecret } from './store-secret.use-case.js';

/** POST /v1/envs/:env/secrets (and /v1/secrets for `default`) {name, value | valueBase64, metadata?} -> 201 */
@Controller()
export class StoreSecretHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Post(['v1/envs/:env/secrets', 'v1/secrets'])
  @UseInterceptors(WritePositionHeader)
  store(@Param('env') env: string | undefined, @Body() body: unknown, @HttpCaller() caller: Caller): Promise<WriteResult> {
    const { valueBase64, ...fields } = jsonObjectBody(body);
    return this.pipeline.execute(StoreSecret, inputFrom({ ...fields, value: valueFromJson({ value: fields.value, valueBase64 }) }, { env }), caller);
  }
}
