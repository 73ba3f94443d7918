import { Body, Controller, Param, Post, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, jsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { valueFromJson } from '../../json-value.js';
import type { WriteResult } from '../../write-result.js';
import { PutPendingVersion } from './put-pending-version.use-case.js';

/** POST /v1/envs/:env/secrets/:ref/pending {value | valueBase64 | generate: {length?, charset?}} -> 201 */
@Controller()
export class PutPendingVersionHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Post(['v1/envs/:env/secrets/:ref/pending', 'v1/secrets/:ref/pending'])
  @UseInterceptors(WritePositionHeader)
  put(@Param('env') env: string | undefined, @Param('ref') ref: string, @Body() body: unknown, @HttpCaller() caller: Caller): Promise<WriteResult> {
    const { valueBase64, ...fields } = jsonObjectBody(body);
    const value = valueFromJson({ value: fields.value, valueBase64 });
    return this.pipeline.execute(PutPendingVersion, inputFrom({ ...fields, ...(value !== undefined && { value }) }, { env, ref }), caller);
  }
}
