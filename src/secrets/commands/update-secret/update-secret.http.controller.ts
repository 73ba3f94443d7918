import { Body, Controller, Param, Put, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, jsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { valueFromJson } from '../../json-value.js';
import type { WriteResult } from '../../write-result.js';
import { UpdateSecret } from './update-secret.use-case.js';

/** PUT /v1/envs/:env/secrets/:ref {value | valueBase64, metadata?, expectedVersion?}: a new version. */
@Controller()
export class UpdateSecretHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Put(['v1/envs/:env/secrets/:ref', 'v1/secrets/:ref'])
  @UseInterceptors(WritePositionHeader)
  update(@Param('env') env: string | undefined, @Param('ref') ref: string, @Body() body: unknown, @HttpCaller() caller: Caller): Promise<WriteResult> {
    const { valueBase64, ...fields } = jsonObjectBody(body);
    return this.pipeline.execute(UpdateSecret, inputFrom({ ...fields, value: valueFromJson({ value: fields.value, valueBase64 }) }, { env, ref }), caller);
  }
}
