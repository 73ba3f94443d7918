import { Controller, Get, Query } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { ListPolicies } from './list-policies.use-case.js';
import type { PolicySummary } from './list-policies.query.js';

/** GET /v1/policies */
@Controller()
export class ListPoliciesHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Get('v1/policies')
  async list(@Query() query: unknown, @HttpCaller() caller: Caller): Promise<{ policies: PolicySummary[] }> {
    return { policies: await this.pipeline.execute(ListPolicies, queryInput(query, []), caller) };
  }
}
