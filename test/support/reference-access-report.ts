import { compilePattern } from '../../src/access/domain/glob.js';
import { csvLine, REPORT_COLUMNS, type CurrentInventory, type ReportFilter, type ReportRow } from '../../src/compliance/access-report.js';
import { sectionOf, tableHeader, tableRow, type ReportFormat, type ReportSection } from '../../src/compliance/queries/get-access-report/report-format.js';
import { printable } from '../../src/interfaces/cli/table.js';
import type { RecordedEvent } from '../../src/event-store/event-store.port.js';
import { DEFAULT_ENV } from '../../src/secrets/domain/secret-rules.js';

/**
 * The access report as it was written first (one event at a time, a row object built by spreads), kept
 * verbatim as the oracle the fast fold (src/compliance/report-fold.ts) and its ranged, threaded form are
 * compared with. Only the event-loop yields were dropped (they do not change what is produced).
 */

type Data = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const ruleText = (raw: unknown): string | undefined => {
  if (raw === 'root') return 'root';
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { policy, version, rule } = raw as { policy?: unknown; version?: unknown; rule?: unknown };
  return typeof policy === 'string' ? `${policy} v${String(version)} #${String(rule)}` : undefined;
};

interface SecretStats {
  env: string;
  name: string;
  reads: number;
  readers: Set<string>;
  lastAt: string | null;
  lastBy: string | null;
}

/**
 * Streams the report over `pages` (the log from some position, in order). `onProgress` is told the
 * position reached after each page. Summary rows come after the last page.
 */
export async function* referenceAccessReport(
  pages: AsyncIterable<readonly RecordedEvent[]>,
  filter: ReportFilter,
  inventory: () => CurrentInventory,
  now: Date,
  onProgress: (position: number) => void = () => undefined,
): AsyncGenerator<ReportRow> {
  const secretPattern = filter.secret === undefined ? null : compilePattern(filter.secret);
  const stats = new Map<string, SecretStats>();
  const tokenLastUse = new Map<string, string>();
  const lastReadOf = new Map<string, string>();
  const timed = filter.fromTime !== undefined || filter.toTime !== undefined;
  for await (const page of pages) {
    for (const e of page) {
      if (filter.toPosition !== undefined && e.position > filter.toPosition) break;
      const m = (e.metadata ?? {}) as Partial<RecordedEvent['metadata']>;
      const at = m.occurredAt ?? '';
      if (m.tokenId) tokenLastUse.set(m.tokenId, at);
      if (e.type === 'SecretAccessed' && typeof (e.data as Data)?.secretId === 'string') lastReadOf.set((e.data as Data).secretId as string, at);
      if (filter.fromPosition !== undefined && e.position < filter.fromPosition) continue;
      if (timed) {
        const t = Date.parse(at);
        if ((filter.fromTime !== undefined && !(t >= filter.fromTime)) || (filter.toTime !== undefined && !(t <= filter.toTime))) continue;
      }
      const row = rowOf(e, at, m);
      if (!row) continue;
      if (filter.principal !== undefined && row.principal !== filter.principal) continue;
      if (filter.env !== undefined && row.env !== filter.env) continue;
      if (secretPattern && (row.secret === undefined || !secretPattern.test(row.secret))) continue;
      if (row.kind === 'read') {
        const id = (e.data as Data).secretId as string;
        let s = stats.get(id);
        if (!s) {
          s = { env: row.env ?? DEFAULT_ENV, name: row.secret ?? id, reads: 0, readers: new Set(), lastAt: null, lastBy: null };
          stats.set(id, s);
        }
        s.reads++;
        s.readers.add(row.principal ?? '');
        s.lastAt = at;
        s.lastBy = row.principal ?? null;
      }
      yield row;
    }
    const last = page.at(-1);
    if (last) onProgress(last.position);
  }
  for (const s of [...stats.values()].sort((a, b) => (a.env + a.name < b.env + b.name ? -1 : 1))) {
    yield { kind: 'secret', env: s.env, secret: s.name, reads: s.reads, readers: s.readers.size, lastAccess: s.lastAt, lastReader: s.lastBy };
  }
  if (filter.unusedDays === undefined) return;
  const cutoff = now.getTime() - filter.unusedDays * 86_400_000;
  const { secrets, tokens } = inventory();
  for (const s of secrets) {
    if (filter.env !== undefined && s.env !== filter.env) continue;
    if (secretPattern && !secretPattern.test(s.name)) continue;
    const last = lastReadOf.get(s.id) ?? null;
    if (Date.parse(s.createdAt) <= cutoff && (last === null || Date.parse(last) < cutoff)) {
      yield { kind: 'unread-secret', env: s.env, secret: s.name, createdAt: s.createdAt, lastAccess: last };
    }
  }
  if (filter.env !== undefined || secretPattern) return;
  for (const tk of tokens) {
    if (tk.revokedAt !== null || (tk.expiresAt !== null && Date.parse(tk.expiresAt) <= now.getTime())) continue;
    if (filter.principal !== undefined && tk.principal !== filter.principal) continue;
    const last = tokenLastUse.get(tk.tokenId) ?? null;
    if (Date.parse(tk.createdAt) <= cutoff && (last === null || Date.parse(last) < cutoff)) {
      yield { kind: 'unused-token', tokenId: tk.tokenId, principal: tk.principal, createdAt: tk.createdAt, lastAccess: last };
    }
  }
}

const rowOf = (e: RecordedEvent, at: string, m: Partial<RecordedEvent['metadata']>): ReportRow | null => {
  const d = (e.data ?? {}) as Data;
  const who = { position: e.position, at, principal: m.actor ?? 'unknown', ...(m.tokenId && { tokenId: m.tokenId }), interface: m.interface ?? 'unknown' };
  switch (e.type) {
    case 'SecretAccessed':
      return {
        kind: 'read',
        ...who,
        env: str(d.env) ?? DEFAULT_ENV,
        ...(str(d.name) !== undefined && { secret: str(d.name) }),
        ...(typeof d.version === 'number' && { version: d.version }),
        ...(ruleText(d.allowedBy) !== undefined && { rule: ruleText(d.allowedBy) }),
        ...(typeof d.asOf === 'number' && { asOf: d.asOf }),
      };
    case 'AccessDenied':
      return {
        kind: 'denied',
        ...who,
        env: str(d.env) ?? DEFAULT_ENV,
        ...(str(d.secret) !== undefined && { secret: str(d.secret) }),
        ...(str(d.capability) !== undefined && { capability: str(d.capability) }),
        ...(ruleText(d.rule) !== undefined && { rule: ruleText(d.rule) }),
        ...(str(d.reason) !== undefined && { reason: str(d.reason) }),
      };
    case 'AuthenticationFailed':
      return {
        kind: 'authn-failed',
        position: e.position,
        at,
        interface: str(d.interface) ?? 'unknown',
        ...(str(d.tokenId) !== undefined && { tokenId: str(d.tokenId) }),
        ...(str(d.reason) !== undefined && { reason: str(d.reason) }),
        ...(typeof d.count === 'number' && { count: d.count }),
      };
    default:
      return null;
  }
};


/* The table layout is the server's (sections, widths); what this checks is the order and grouping of lines. */

/** The report as lines in `format`, in the order rows arrive: JSON lines, CSV with a header, or sectioned tables. */
export async function* referenceReportLines(rows: AsyncIterable<ReportRow>, format: ReportFormat): AsyncGenerator<string> {
  if (format === 'csv') yield csvLine(REPORT_COLUMNS);
  let section: ReportSection | null = null;
  for await (const row of rows) {
    if (format === 'json') {
      yield `${JSON.stringify(row)}\n`;
      continue;
    }
    if (format === 'csv') {
      yield csvLine(REPORT_COLUMNS.map((c) => row[c]));
      continue;
    }
    const rowSection = sectionOf(row.kind);
    if (rowSection !== section) {
      yield tableHeader(rowSection, section === null);
      section = rowSection;
    }
    yield tableRow(row);
  }
  if (format === 'table' && section === null) yield 'Nothing recorded matches.\n';
}
