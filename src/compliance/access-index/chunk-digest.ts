import type { RecordedEvent } from '../../event-store/event-store.port.js';
import type { ReportRow } from '../access-report.js';
import { rowOf, type Data } from '../report-fold.js';

/**
 * The digest of one chunk of the log for the access report (issue 9, section 2): the unfiltered result
 * of folding the chunk, in columns. Every access row (read / denied / authn-failed, exactly the fields
 * `rowOf` gives) plus the secret id each read counts for, and, over every event of the chunk, the last
 * `occurredAt` per token and the last read per secret id. Filters are applied when a report reads the
 * digest (digest-fold.ts), never baked in, so one digest serves every filter.
 *
 * Access events never hold ciphertext, so redaction (which only nulls `data.ciphertext`) cannot make a
 * digest stale: a digest bound to the chain hash of its last event stays true for that log.
 */

/**
 * Positions per chunk: chunk k is (k * CHUNK_POSITIONS, (k + 1) * CHUNK_POSITIONS]. The report's worker
 * ranges are chunks too. Tests use smaller chunks (AccessIndexLocation.chunkPositions); at most 65,535,
 * so a column's dictionary indexes fit Uint16 with ABSENT to spare.
 */
export const CHUNK_POSITIONS = 20_000;

/** Row kinds by their code in the `kind` column. */
export const KINDS = ['read', 'denied', 'authn-failed'] as const;
type AccessKind = (typeof KINDS)[number];

/** The string columns, each with its own dictionary (at most CHUNK_POSITIONS distinct values: Uint16 indexes). */
export const TEXT_COLUMNS = ['at', 'principal', 'tokenId', 'interface', 'env', 'secret', 'rule', 'capability', 'reason', 'readOf'] as const;
export type TextColumn = (typeof TEXT_COLUMNS)[number];
/** The number columns (NaN: absent; JSON never holds NaN). */
export const NUMBER_COLUMNS = ['position', 'atMs', 'version', 'asOf', 'count'] as const;
export type NumberColumn = (typeof NUMBER_COLUMNS)[number];

/** A text cell that is absent (the row has no such field). */
export const ABSENT = 0xffff;

/** One chunk's digest (see the module comment). Plain data: it crosses threads and is written to a file. */
export interface ChunkDigest {
  /** The chunk: positions (after, through]. */
  readonly after: number;
  readonly through: number;
  /** The last event of the chunk: its position and chain hash, which bind the digest to this log. */
  readonly lastPosition: number;
  readonly lastHash: string;
  readonly rows: number;
  /** Per row: index into KINDS. */
  readonly kind: Uint8Array;
  /** Per row; `atMs` is the time of `at` when `new Date(atMs).toISOString()` gives it back exactly, else NaN and `at` holds the text. */
  readonly numbers: Readonly<Record<NumberColumn, Float64Array>>;
  readonly text: Readonly<Record<TextColumn, Uint16Array>>;
  readonly dictionaries: Readonly<Record<TextColumn, readonly string[]>>;
  /** In the order of their last setting within the chunk, as a fold's maps hold them. */
  readonly tokenLastUse: readonly (readonly [string, string])[];
  readonly lastReadOf: readonly (readonly [string, string])[];
}

/** Whether (after, through] is one whole chunk of `size` positions. */
export const isWholeChunk = (after: number, through: number, size: number): boolean => after % size === 0 && through === after + size;

const columnsOf = <K extends string, T>(keys: readonly K[], make: () => T): Record<K, T> => Object.fromEntries(keys.map((k) => [k, make()])) as Record<K, T>;

/**
 * Builds a chunk's digest from its events, in log order. `finish` gives null when the chunk cannot be
 * digested faithfully (a metadata field that is not a string, as no Strongroom writes; no event at
 * all): the report then folds that chunk from the log every time.
 */
export class DigestBuilder {
  private readonly kind: Uint8Array;
  private readonly numbers: Record<NumberColumn, Float64Array>;
  private readonly text: Record<TextColumn, Uint16Array>;
  private readonly dictionaries = columnsOf(TEXT_COLUMNS, () => [] as string[]);
  private readonly codes = columnsOf(TEXT_COLUMNS, () => new Map<string, number>());
  private readonly tokenLastUse = new Map<string, string>();
  private readonly lastReadOf = new Map<string, string>();
  private rows = 0;
  private last: RecordedEvent | null = null;
  private faithful = true;

  /** @throws RangeError for a chunk of more than 65,535 positions (see CHUNK_POSITIONS) */
  constructor(
    private readonly after: number,
    private readonly through: number,
  ) {
    const size = through - after;
    if (size > ABSENT) throw new RangeError('an access index chunk holds at most 65,535 positions');
    this.kind = new Uint8Array(size);
    this.numbers = columnsOf(NUMBER_COLUMNS, () => new Float64Array(size));
    this.text = columnsOf(TEXT_COLUMNS, () => new Uint16Array(size));
  }

  /** Takes in the chunk's next event. */
  add(e: RecordedEvent): void {
    if (e.position <= this.after || e.position > this.through) return;
    this.last = e;
    const m = (e.metadata ?? {}) as Partial<RecordedEvent['metadata']>;
    for (const v of [m.occurredAt, m.tokenId, m.actor, m.interface]) if (v !== undefined && typeof v !== 'string') this.faithful = false;
    const at = m.occurredAt ?? '';
    if (m.tokenId) this.tokenLastUse.set(m.tokenId, at);
    const d = (e.data ?? {}) as Data;
    const type = e.type;
    if (type === 'SecretAccessed' && typeof d.secretId === 'string') this.lastReadOf.set(d.secretId, at);
    if (type !== 'SecretAccessed' && type !== 'AccessDenied' && type !== 'AuthenticationFailed') return;
    this.push(rowOf(e, type, d, at, m), typeof d.secretId === 'string' ? d.secretId : undefined);
  }

  private push(row: ReportRow, readOf: string | undefined): void {
    const i = this.rows++;
    this.kind[i] = KINDS.indexOf(row.kind as AccessKind);
    const n = this.numbers;
    n.position[i] = row.position ?? Number.NaN;
    const ms = Date.parse(row.at ?? '');
    const exact = Number.isFinite(ms) && new Date(ms).toISOString() === row.at;
    n.atMs[i] = exact ? ms : Number.NaN;
    n.version[i] = row.version ?? Number.NaN;
    n.asOf[i] = row.asOf ?? Number.NaN;
    n.count[i] = row.count ?? Number.NaN;
    this.code('at', i, exact ? undefined : row.at);
    this.code('principal', i, row.principal);
    this.code('tokenId', i, row.tokenId);
    this.code('interface', i, row.interface);
    this.code('env', i, row.env);
    this.code('secret', i, row.secret);
    this.code('rule', i, row.rule);
    this.code('capability', i, row.capability);
    this.code('reason', i, row.reason);
    this.code('readOf', i, readOf);
  }

  private code(column: TextColumn, i: number, value: string | undefined): void {
    if (value === undefined) {
      this.text[column][i] = ABSENT;
      return;
    }
    const codes = this.codes[column];
    let code = codes.get(value);
    if (code === undefined) {
      code = this.dictionaries[column].push(value) - 1;
      codes.set(value, code);
    }
    this.text[column][i] = code;
  }

  /** The digest, or null when this chunk cannot have one (see the class comment). */
  finish(): ChunkDigest | null {
    if (!this.faithful || this.last === null) return null;
    const rows = this.rows;
    const trim = <K extends string, A extends Float64Array | Uint16Array>(keys: readonly K[], all: Record<K, A>): Record<K, A> =>
      Object.fromEntries(keys.map((k) => [k, all[k].slice(0, rows)])) as Record<K, A>;
    return {
      after: this.after,
      through: this.through,
      lastPosition: this.last.position,
      lastHash: this.last.hash,
      rows,
      kind: this.kind.slice(0, rows),
      numbers: trim(NUMBER_COLUMNS, this.numbers),
      text: trim(TEXT_COLUMNS, this.text),
      dictionaries: this.dictionaries,
      tokenLastUse: [...this.tokenLastUse],
      lastReadOf: [...this.lastReadOf],
    };
  }
}
