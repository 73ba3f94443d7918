import { compilePattern } from '../access/domain/glob.js';
import type { RecordedEvent } from '../event-store/event-store.port.js';
import { DEFAULT_ENV } from '../secrets/domain/secret-rules.js';
import type { CurrentInventory, ReportFilter, ReportRow } from './access-report.js';

/**
 * The access report's fold, synchronous and without per-row object spreads (issue 9, section 2): events
 * in, rows out, plus the per-secret and per-token state the summary rows need. One fold can cover the
 * whole log, or a range of it: folds of consecutive ranges merge (`merge`, in log order) into exactly
 * the state one fold over their union would hold, so ranges can be folded in worker threads.
 */

/** An event's data as stored (JSON object). */
export type Data = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const ruleText = (raw: unknown): string | undefined => {
  if (raw === 'root') return 'root';
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { policy, version, rule } = raw as { policy?: unknown; version?: unknown; rule?: unknown };
  return typeof policy === 'string' ? `${policy} v${String(version)} #${String(rule)}` : undefined;
};

/** One secret's reads within the filters, as a fold of some range holds them (plain data: it crosses threads). */
export interface SecretReads {
  env: string;
  name: string;
  reads: number;
  /** Distinct readers in the order first seen. */
  readers: string[];
  lastAt: string | null;
  lastBy: string | null;
}

/** What a range's fold passes on to the next: plain arrays, so it can be posted from a worker. */
export interface ReportPartial {
  /** Secrets by id, in the order of their first read within the range. */
  readonly stats: readonly (readonly [string, SecretReads])[];
  readonly tokenLastUse: readonly (readonly [string, string])[];
  readonly lastReadOf: readonly (readonly [string, string])[];
}

interface LiveStats {
  env: string;
  name: string;
  reads: number;
  readers: Set<string>;
  lastAt: string | null;
  lastBy: string | null;
}

/** The state of the report over the events folded so far; see the module comment. */
export class ReportFold {
  private readonly secretPattern: RegExp | null;
  /** Whether a time filter is set (rows outside it are dropped; see inTime). */
  readonly timed: boolean;
  private readonly stats = new Map<string, LiveStats>();
  private readonly tokenLastUse = new Map<string, string>();
  private readonly lastReadOf = new Map<string, string>();

  constructor(private readonly filter: ReportFilter) {
    this.secretPattern = filter.secret === undefined ? null : compilePattern(filter.secret);
    this.timed = filter.fromTime !== undefined || filter.toTime !== undefined;
  }

  /** Folds `events` (in log order, after everything folded before) and pushes the rows they give onto `out`. */
  add(events: readonly RecordedEvent[], out: ReportRow[]): void {
    for (const e of events) {
      const row = this.next(e);
      if (row !== null) out.push(row);
    }
  }

  /** Folds one event (after everything folded before): its row, or null when it gives none. */
  next(e: RecordedEvent): ReportRow | null {
    const { filter, timed } = this;
    if (filter.toPosition !== undefined && e.position > filter.toPosition) return null;
    const m = (e.metadata ?? {}) as Partial<RecordedEvent['metadata']>;
    const at = m.occurredAt ?? '';
    if (m.tokenId) this.tokenLastUse.set(m.tokenId, at);
    const d = (e.data ?? {}) as Data;
    const type = e.type;
    if (type === 'SecretAccessed' && typeof d.secretId === 'string') this.lastReadOf.set(d.secretId, at);
    if (type !== 'SecretAccessed' && type !== 'AccessDenied' && type !== 'AuthenticationFailed') return null;
    if (filter.fromPosition !== undefined && e.position < filter.fromPosition) return null;
    if (timed && !this.inTime(Date.parse(at))) return null;
    return this.admit(rowOf(e, type, d, at, m), d.secretId as string);
  }

  /**
   * The row-level filters (principal, environment, secret name) and the per-secret count of one access
   * row already within the position and time window: the row, or null when a filter drops it. `readOf`
   * is the secret id a read row counts for (the access index keeps rows unfiltered and comes here).
   */
  admit(row: ReportRow, readOf: string): ReportRow | null {
    if (!this.passes(row.principal, row.env, row.secret)) return null;
    if (row.kind === 'read') this.countRead(readOf, row.env, row.secret, row.at ?? '', row.principal);
    return row;
  }

  /** Whether an access row with this principal, environment and secret name passes the row-level filters. */
  passes(principal: string | undefined, env: string | undefined, secret: string | undefined): boolean {
    const { filter, secretPattern } = this;
    if (filter.principal !== undefined && principal !== filter.principal) return false;
    if (filter.env !== undefined && env !== filter.env) return false;
    return !secretPattern || (secret !== undefined && secretPattern.test(secret));
  }

  /** Whether an event at `ms` (Date.parse of its occurredAt: NaN when unparsable) is within the time filters. */
  inTime(ms: number): boolean {
    const { fromTime, toTime } = this.filter;
    return !((fromTime !== undefined && !(ms >= fromTime)) || (toTime !== undefined && !(ms <= toTime)));
  }

  /** Counts a read of secret `id` (a read row that passed the filters: its env, secret name, at and principal). */
  countRead(id: string, env: string | undefined, name: string | undefined, at: string, principal: string | undefined): void {
    let s = this.stats.get(id);
    if (!s) {
      s = { env: env ?? DEFAULT_ENV, name: name ?? id, reads: 0, readers: new Set(), lastAt: null, lastBy: null };
      this.stats.set(id, s);
    }
    s.reads++;
    s.readers.add(principal ?? '');
    s.lastAt = at;
    s.lastBy = principal ?? null;
  }

  /** This fold's state, to merge into the fold of the ranges before it. */
  partial(): ReportPartial {
    return {
      stats: [...this.stats].map(([id, s]) => [id, { env: s.env, name: s.name, reads: s.reads, readers: [...s.readers], lastAt: s.lastAt, lastBy: s.lastBy }] as const),
      tokenLastUse: [...this.tokenLastUse],
      lastReadOf: [...this.lastReadOf],
    };
  }

  /** Takes in the fold of the range right after everything this fold has seen. */
  merge(next: ReportPartial): void {
    for (const [id, n] of next.stats) {
      const s = this.stats.get(id);
      if (!s) {
        this.stats.set(id, { env: n.env, name: n.name, reads: n.reads, readers: new Set(n.readers), lastAt: n.lastAt, lastBy: n.lastBy });
        continue;
      }
      s.reads += n.reads;
      for (const r of n.readers) s.readers.add(r);
      s.lastAt = n.lastAt;
      s.lastBy = n.lastBy;
    }
    for (const [token, at] of next.tokenLastUse) this.tokenLastUse.set(token, at);
    for (const [secret, at] of next.lastReadOf) this.lastReadOf.set(secret, at);
  }

  /** The summary rows after the last event: per secret, then (with `unusedDays`) unread secrets and unused tokens. */
  summary(inventory: () => CurrentInventory, now: Date): ReportRow[] {
    const { filter, secretPattern } = this;
    const out: ReportRow[] = [];
    for (const s of [...this.stats.values()].sort((a, b) => (a.env + a.name < b.env + b.name ? -1 : 1))) {
      out.push({ kind: 'secret', env: s.env, secret: s.name, reads: s.reads, readers: s.readers.size, lastAccess: s.lastAt, lastReader: s.lastBy });
    }
    if (filter.unusedDays === undefined) return out;
    const cutoff = now.getTime() - filter.unusedDays * 86_400_000;
    const { secrets, tokens } = inventory();
    for (const s of secrets) {
      if (filter.env !== undefined && s.env !== filter.env) continue;
      if (secretPattern && !secretPattern.test(s.name)) continue;
      const last = this.lastReadOf.get(s.id) ?? null;
      if (Date.parse(s.createdAt) <= cutoff && (last === null || Date.parse(last) < cutoff)) {
        out.push({ kind: 'unread-secret', env: s.env, secret: s.name, createdAt: s.createdAt, lastAccess: last });
      }
    }
    if (filter.env !== undefined || secretPattern) return out;
    for (const tk of tokens) {
      if (tk.revokedAt !== null || (tk.expiresAt !== null && Date.parse(tk.expiresAt) <= now.getTime())) continue;
      if (filter.principal !== undefined && tk.principal !== filter.principal) continue;
      const last = this.tokenLastUse.get(tk.tokenId) ?? null;
      if (Date.parse(tk.createdAt) <= cutoff && (last === null || Date.parse(last) < cutoff)) {
        out.push({ kind: 'unused-token', tokenId: tk.tokenId, principal: tk.principal, createdAt: tk.createdAt, lastAccess: last });
      }
    }
    return out;
  }
}

/** A mutable row while it is built; fields are added in the order JSON output shows them. */
type RowDraft = { -readonly [K in keyof ReportRow]: ReportRow[K] };

/**
 * The row of one access event (the key order is the report's JSON field order: keep it; the access
 * index rebuilds rows in this very order, src/compliance/access-index/chunk-digest.ts).
 */
export const rowOf = (e: RecordedEvent, type: string, d: Data, at: string, m: Partial<RecordedEvent['metadata']>): ReportRow => {
  if (type === 'AuthenticationFailed') {
    const row: RowDraft = { kind: 'authn-failed', position: e.position, at, interface: str(d.interface) ?? 'unknown' };
    const tokenId = str(d.tokenId);
    if (tokenId !== undefined) row.tokenId = tokenId;
    const reason = str(d.reason);
    if (reason !== undefined) row.reason = reason;
    if (typeof d.count === 'number') row.count = d.count;
    return row;
  }
  const row: RowDraft = { kind: type === 'SecretAccessed' ? 'read' : 'denied', position: e.position, at, principal: m.actor ?? 'unknown' };
  if (m.tokenId) row.tokenId = m.tokenId;
  row.interface = m.interface ?? 'unknown';
  row.env = str(d.env) ?? DEFAULT_ENV;
  if (type === 'SecretAccessed') {
    const name = str(d.name);
    if (name !== undefined) row.secret = name;
    if (typeof d.version === 'number') row.version = d.version;
    const rule = ruleText(d.allowedBy);
    if (rule !== undefined) row.rule = rule;
    if (typeof d.asOf === 'number') row.asOf = d.asOf;
    return row;
  }
  const secret = str(d.secret);
  if (secret !== undefined) row.secret = secret;
  const capability = str(d.capability);
  if (capability !== undefined) row.capability = capability;
  const rule = ruleText(d.rule);
  if (rule !== undefined) row.rule = rule;
  const reason = str(d.reason);
  if (reason !== undefined) row.reason = reason;
  return row;
};
