import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetAuditTrailQuery, type AuditEntry } from './get-audit-trail.query.js';

/** GET /v1/audit?secret=<id|name>&from=<position>&limit=N: who changed and who read what. */
@Controller('v1/audit')
export class GetAuditTrailHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  async trail(@Query('secret') ref: unknown, @Query('from') from: unknown, @Query('limit') limit: unknown): Promise<{ entries: AuditEntry[] }> {
    return { entries: await this.queryBus.execute(new GetAuditTrailQuery({ ref, from, limit })) };
  }
}
