import { Controller, Get, Query } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { DescribeCaller } from './describe-caller.use-case.js';
import type { CallerDescription } from './describe-caller.query.js';

/** GET /v1/whoami */
@Controller()
export class DescribeCallerHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Get('v1/whoami')
  async describe(@Query() query: unknown, @HttpCaller() caller: Caller): Promise<CallerDescription> {
    return this.pipeline.execute(DescribeCaller, queryInput(query, []), caller);
  }
}
