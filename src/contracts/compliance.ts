/**
 * The wire contract of the compliance queries (see secrets.ts for why contracts live here). Imports nothing.
 */

/** One line of a report; `kind` says which fields are set. */
export interface ReportRow {
  readonly kind: 'read' | 'denied' | 'authn-failed' | 'secret' | 'unread-secret' | 'unused-token';
  readonly position?: number;
  readonly at?: string;
  readonly principal?: string;
  readonly tokenId?: string;
  readonly interface?: string;
  readonly env?: string;
  readonly secret?: string;
  readonly version?: number;
  readonly capability?: string;
  /** The rule that allowed or refused (`root`, `policy vN #i`). */
  readonly rule?: string;
  readonly reason?: string;
  /** A historical read's position (`get-secret --at`). */
  readonly asOf?: number;
  /** Failed authentications this event counts. */
  readonly count?: number;
  readonly reads?: number;
  readonly readers?: number;
  readonly lastAccess?: string | null;
  readonly lastReader?: string | null;
  readonly createdAt?: string;
}

/**
 * Which accesses a report covers (GET /v1/audit/report's parameters, `strongroom audit report`'s flags).
 * Without `env` it spans every environment (and needs `audit` on all of them).
 */
export interface AccessReportFilter {
  /** From this log position, or ISO-8601 time (inclusive). */
  readonly from?: number | string;
  /** Up to this log position, or ISO-8601 time (inclusive). */
  readonly to?: number | string;
  /** Secret names matching this pattern, as in policies (`payments/*`, `**`). */
  readonly secret?: string;
  /** Only this principal's accesses. */
  readonly principal?: string;
  readonly env?: string;
  /** Also list secrets nobody read, and tokens nobody used, for this many days. */
  readonly unusedDays?: number;
}

/** Where a report's scan of the log stands: it reads the positions after `start` up to `head`. */
export interface ReportProgress {
  readonly start: number;
  readonly head: number;
  /** The log position of the last row received (`start` before the first). */
  readonly reached: number;
}

/**
 * The headers GET /v1/audit/report sends with its rows: the scan's range, so a remote reader can show
 * progress as the rows' positions advance.
 */
export const REPORT_START_HEADER = 'x-strongroom-report-start';
export const REPORT_HEAD_HEADER = 'x-strongroom-report-head';
