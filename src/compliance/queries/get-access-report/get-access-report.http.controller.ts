import { Readable } from 'node:stream';
import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { REPORT_HEAD_HEADER, REPORT_START_HEADER } from '../../../contracts/compliance.js';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { integerText, queryInput } from '../../../interfaces/http/request-input.js';
import { startedStream } from '../../../interfaces/http/started-stream.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { GetAccessReport } from './get-access-report.use-case.js';

/**
 * GET /v1/audit/report?from=&to=&secret=&principal=&env=&unusedDays=&format=json|csv: the report,
 * streamed (JSON lines, or CSV with a header), with the scan's range in X-Strongroom-Report-Start/-Head.
 * A hole in the log (LOG_GAP) found before the first chunk is answered 500 with its code; found later,
 * it breaks the stream off (the SDK throws UNREACHABLE "broke off") and the server logs it.
 */
@Controller()
export class GetAccessReportHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Get('v1/audit/report')
  async report(@Query() query: unknown, @HttpCaller() caller: Caller, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const { format, unusedDays, ...rest } = queryInput(query, ['from', 'to', 'secret', 'principal', 'env', 'unusedDays', 'format']);
    if (format !== undefined && format !== 'json' && format !== 'csv') throw new StrongroomError(ErrorCode.InvalidInput, 'format must be json or csv');
    const report = await this.pipeline.execute(GetAccessReport, { ...rest, ...(unusedDays !== undefined && { unusedDays: integerText(unusedDays) }) }, caller);
    // The scan's range, so a remote reader (the CLI over --addr) shows progress as the rows' positions advance.
    void reply.header(REPORT_START_HEADER, String(report.start)).header(REPORT_HEAD_HEADER, String(report.head));
    const csv = format === 'csv';
    // The first chunk is made before answering: a hole in the log's first page is a LOG_GAP status, not a broken stream.
    const lines = await startedStream(report.lines(csv ? 'csv' : 'json'));
    return new StreamableFile(Readable.from(lines), { type: csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson' });
  }
}
