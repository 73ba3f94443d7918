import { Readable } from 'node:stream';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { booleanText, queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { exportLines } from './export-lines.js';
import { ExportAuditLog } from './export-audit-log.use-case.js';

/** GET /v1/audit/export[?from=P][&follow=true]: the export as streamed JSON lines (application/x-ndjson). */
@Controller()
export class ExportAuditLogHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Get('v1/audit/export')
  async export(@Query() query: unknown, @HttpCaller() caller: Caller): Promise<StreamableFile> {
    const { follow, ...rest } = queryInput(query, ['from', 'follow']);
    const exported = await this.pipeline.execute(ExportAuditLog, { ...rest, ...(follow !== undefined && { follow: booleanText(follow) }) }, caller);
    return new StreamableFile(Readable.from(exportLines(exported)), { type: 'application/x-ndjson' });
  }
}
