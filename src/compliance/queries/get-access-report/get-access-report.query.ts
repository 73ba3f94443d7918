import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envNameInput } from '../../../secrets/secret-inputs.js';
import type { ReportRow } from '../../access-report.js';
import { atInput } from '../../point-in-time.js';
import type { ReportFormat } from './report-format.js';

export const getAccessReportInput = z
  .object({
    /** From this log position or ISO-8601 time (inclusive). */
    from: atInput.optional(),
    /** Up to this log position or ISO-8601 time (inclusive). */
    to: atInput.optional(),
    /** Secret name pattern, as in policies (`payments/*`, `**`). */
    secret: z.string().min(1).max(256).optional(),
    principal: z.string().min(1).max(256).optional(),
    env: envNameInput.optional(),
    /** Also list secrets unread, and tokens unused, for this many days. */
    unusedDays: z.number().int().positive().max(36_500).optional(),
  })
  .strict();

export type GetAccessReportInput = z.infer<typeof getAccessReportInput>;

/** A report being streamed: rows as the log is read, then summary rows. */
export interface AccessReport {
  /** The log position the scan starts after, and the head it will read up to (for progress). */
  readonly start: number;
  readonly head: number;
  /** The position the scan has reached so far. */
  readonly reached: () => number;
  readonly rows: AsyncIterable<ReportRow>;
  /**
   * The same report as text in `format` (JSON lines, CSV with its header, or sectioned tables), in
   * chunks of many lines: what the CLI prints and HTTP streams, byte for byte what `reportLines(rows)`
   * gives, at a fraction of the per-row cost (src/compliance/report-text.ts). Read either `rows` or
   * this, once.
   */
  readonly lines: (format: ReportFormat) => AsyncIterable<string>;
}

export class GetAccessReportQuery extends Query<AccessReport> implements GatedMessage<GetAccessReportInput> {
  constructor(
    readonly input: GetAccessReportInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}
