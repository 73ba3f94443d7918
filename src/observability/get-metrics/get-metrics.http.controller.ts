import { Controller, Get, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HttpCaller } from '../../interfaces/http/http-caller.js';
import { queryInput } from '../../interfaces/http/request-input.js';
import type { Caller } from '../../kernel/caller.js';
import { Pipeline } from '../../kernel/pipeline.js';
import { GetMetrics } from './get-metrics.use-case.js';

/** GET /metrics: the Prometheus text format, for a scraper holding a token with `audit`. */
@Controller()
export class GetMetricsHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Get('metrics')
  async metrics(@Query() query: unknown, @HttpCaller() caller: Caller, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { text, contentType } = await this.pipeline.execute(GetMetrics, queryInput(query, []), caller);
    void reply.header('content-type', contentType);
    return text;
  }
}
