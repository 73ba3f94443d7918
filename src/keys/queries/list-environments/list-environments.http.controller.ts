import { Controller, Get, Query } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { ListEnvironments } from './list-environments.use-case.js';
import type { EnvironmentSummary } from './list-environments.query.js';

/** GET /v1/envs */
@Controller()
export class ListEnvironmentsHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Get('v1/envs')
  async list(@Query() query: unknown, @HttpCaller() caller: Caller): Promise<{ environments: EnvironmentSummary[] }> {
    return { environments: await this.pipeline.execute(ListEnvironments, queryInput(query, []), caller) };
  }
}
