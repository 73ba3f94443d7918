import { Controller, Get, Query } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { ListTokens } from './list-tokens.use-case.js';
import type { TokenSummary } from './list-tokens.query.js';

/** GET /v1/tokens[?includeRevoked=true] */
@Controller()
export class ListTokensHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Get('v1/tokens')
  async list(@Query() query: unknown, @HttpCaller() caller: Caller): Promise<{ tokens: TokenSummary[] }> {
    return { tokens: await this.pipeline.execute(ListTokens, queryInput(query, ['includeRevoked']), caller) };
  }
}
