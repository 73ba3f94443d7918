import { Controller, Delete, Param, Query, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import type { PolicySetResult } from '../set-policy/set-policy.command.js';
import { DeletePolicy } from './delete-policy.use-case.js';

/** DELETE /v1/policies/:name */
@Controller()
export class DeletePolicyHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Delete('v1/policies/:name')
  @UseInterceptors(WritePositionHeader)
  delete(@Param('name') name: string, @Query() query: unknown, @HttpCaller() caller: Caller): Promise<PolicySetResult> {
    return this.pipeline.execute(DeletePolicy, inputFrom(queryInput(query, []), { name }), caller);
  }
}
