import { Controller, Get, Query } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { GetStateAt } from './get-state-at.use-case.js';
import type { StateAt } from './get-state-at.query.js';

/** GET /v1/state?at=<position|ISO time>[&env=]: the state as it was then. */
@Controller()
export class GetStateAtHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Get('v1/state')
  state(@Query() query: unknown, @HttpCaller() caller: Caller): Promise<StateAt> {
    return this.pipeline.execute(GetStateAt, queryInput(query, ['at', 'env']), caller);
  }
}
