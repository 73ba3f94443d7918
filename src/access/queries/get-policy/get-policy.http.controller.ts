import { Controller, Get, Param, Query } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { inputFrom, queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { GetPolicy } from './get-policy.use-case.js';
import type { PolicyView } from './get-policy.query.js';

/** GET /v1/policies/:name[?version=N]: the policy and its history. */
@Controller()
export class GetPolicyHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Get('v1/policies/:name')
  get(@Param('name') name: string, @Query() query: unknown, @HttpCaller() caller: Caller): Promise<PolicyView> {
    return this.pipeline.execute(GetPolicy, inputFrom(queryInput(query, ['version']), { name }), caller);
  }
}
