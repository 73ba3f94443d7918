import { Body, Controller, Param, Put, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, jsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { SetPolicy } from './set-policy.use-case.js';
import type { PolicySetResult } from './set-policy.command.js';

/** PUT /v1/policies/:name {document: {rules: [...]}} */
@Controller()
export class SetPolicyHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Put('v1/policies/:name')
  @UseInterceptors(WritePositionHeader)
  set(@Param('name') name: string, @Body() body: unknown, @HttpCaller() caller: Caller): Promise<PolicySetResult> {
    return this.pipeline.execute(SetPolicy, inputFrom(jsonObjectBody(body), { name }), caller);
  }
}
