import { Body, Controller, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, jsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { valueFromJson } from '../../json-value.js';
import type { WriteResult } from '../../write-result.js';
import { RotateSecret } from './rotate-secret.use-case.js';

/** POST /v1/envs/:env/secrets/:ref/rotate {value | valueBase64, expectedVersion?}: a new value recorded as a rotation. */
@Controller()
export class RotateSecretHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Post(['v1/envs/:env/secrets/:ref/rotate', 'v1/secrets/:ref/rotate'])
  @HttpCode(200)
  @UseInterceptors(WritePositionHeader)
  rotate(@Param('env') env: string | undefined, @Param('ref') ref: string, @Body() body: unknown, @HttpCaller() caller: Caller): Promise<WriteResult> {
    const { valueBase64, ...fields } = jsonObjectBody(body);
    return this.pipeline.execute(RotateSecret, inputFrom({ ...fields, value: valueFromJson({ value: fields.value, valueBase64 }) }, { env, ref }), caller);
  }
}
