import { Controller, Get, Query } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { GetAuditTrail } from './get-audit-trail.use-case.js';
import type { AuditEntry } from './get-audit-trail.query.js';

/** GET /v1/audit?secret=<id|name>&env=&from=<position>&limit=N: who changed and who read what. */
@Controller()
export class GetAuditTrailHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Get('v1/audit')
  async trail(@Query() query: unknown, @HttpCaller() caller: Caller): Promise<{ entries: AuditEntry[] }> {
    const { secret, ...rest } = queryInput(query, ['secret', 'env', 'from', 'limit']);
    return { entries: await this.pipeline.execute(GetAuditTrail, { ...rest, ...(secret !== undefined && { ref: secret }) }, caller) };
  }
}
