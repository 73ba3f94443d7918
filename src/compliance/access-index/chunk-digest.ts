import type { RecordedEvent } from '../../event-store/event-store.port.js';
import type { ReportRow } from '../access-report.js';
import { rowOf, type Data } from '../report-fold.js';
import { IsoFormatter } from './iso-time.js';

/**
 * The digest of one chunk of the log for the access report (issue 9, section 2): the unfiltered result
 * of folding the chunk, in columns. Every access row (read / denied / authn-failed, exactly the fields
 * `rowOf` gives) plus the secret id each read counts for, and, over every event of the chunk, the last
 * `occurredAt` per token and the last read per secret id. Filters are applied when a report reads the
 * digest (digest-fold.ts), never baked in, so one digest serves every filter.
 *
 * A row is its position, its time and its *shape*: everything else about it (kind, principal, token,
 * interface, environment, secret, version, rule, capability, reason, as-of, count, the secret id it
 * counts for). Rows of a chunk mostly share a few shapes (a service reading the same secrets), so a
 * shape is filtered and formatted once per chunk, not once per row.
 *
 * Access events never hold ciphertext, so redaction (which only nulls `data.ciphertext`) cannot make a
 * digest stale: a digest bound to the chain hash of its last event stays true for that log.
 */

/**
 * Positions per chunk: chunk k is (k * CHUNK_POSITIONS, (k + 1) * CHUNK_POSITIONS]. The report's worker
 * ranges are chunks too. Tests use smaller chunks (AccessIndexLocation.chunkPositions); at most 65,535,
 * so positions within a chunk, shapes and dictionary indexes all fit Uint16 with ABSENT to spare.
 */
export const CHUNK_POSITIONS = 20_000;

/** Row kinds by their code in a shape's `kind`. */
export const KINDS = ['read', 'denied', 'authn-failed'] as const;
export type AccessKind = (typeof KINDS)[number];

/** A shape's string fields, each with its own dictionary. */
export const TEXT_COLUMNS = ['principal', 'tokenId', 'interface', 'env', 'secret', 'rule', 'capability', 'reason', 'readOf'] as const;
export type TextColumn = (typeof TEXT_COLUMNS)[number];
/** A shape's number fields (NaN: absent; JSON never holds NaN). */
export const NUMBER_COLUMNS = ['version', 'asOf', 'count'] as const;
export type NumberColumn = (typeof NUMBER_COLUMNS)[number];

/** A text cell that is absent (the row has no such field). */
export const ABSENT = 0xffff;

/** The shapes of a chunk, by shape code. */
export interface Shapes {
  readonly count: number;
  /** Index into KINDS. */
  readonly kind: Uint8Array;
  readonly text: Readonly<Record<TextColumn, Uint16Array>>;
  readonly numbers: Readonly<Record<NumberColumn, Float64Array>>;
}

/** One chunk's digest (see the module comment). Plain data: it crosses threads and is written to a file. */
export interface ChunkDigest {
  /** The chunk: positions (after, through]. */
  readonly after: number;
  readonly through: number;
  /** The last event of the chunk: its position and chain hash, which bind the digest to this log. */
  readonly lastPosition: number;
  readonly lastHash: string;
  readonly rows: number;
  /** Per row: position - after - 1. */
  readonly offset: Uint16Array;
  /** Per row: the time of `at` when `new Date(atMs).toISOString()` gives it back exactly, else NaN and `atText` holds it. */
  readonly atMs: Float64Array;
  /** Per row: index into `atTexts`, or ABSENT when `atMs` holds the time. */
  readonly atText: Uint16Array;
  readonly atTexts: readonly string[];
  /** Per row: its shape code. */
  readonly shape: Uint16Array;
  readonly shapes: Shapes;
  readonly dictionaries: Readonly<Record<TextColumn, readonly string[]>>;
  /** In the order of their last setting within the chunk, as a fold's maps hold them. */
  readonly tokenLastUse: readonly (readonly [string, string])[];
  readonly lastReadOf: readonly (readonly [string, string])[];
}

/** Whether (after, through] is one whole chunk of `size` positions. */
export const isWholeChunk = (after: number, through: number, size: number): boolean => after % size === 0 && through === after + size;

const columnsOf = <K extends string, T>(keys: readonly K[], make: () => T): Record<K, T> => Object.fromEntries(keys.map((k) => [k, make()])) as Record<K, T>;

/** Codes for distinct strings, in order of first use. */
class Dictionary {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();

  code(value: string | undefined): number {
    if (value === undefined) return ABSENT;
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.push(value) - 1;
      this.codes.set(value, code);
    }
    return code;
  }
}

/**
 * Builds a chunk's digest from its events, in log order. `finish` gives null when the chunk cannot be
 * digested faithfully (a metadata field that is not a string, as no Strongroom writes; no event at
 * all): the report then folds that chunk from the log every time.
 */
export class DigestBuilder {
  private readonly offset: Uint16Array;
  private readonly atMs: Float64Array;
  private readonly atText: Uint16Array;
  private readonly shape: Uint16Array;
  private readonly atTexts = new Dictionary();
  private readonly dictionaries = columnsOf(TEXT_COLUMNS, () => new Dictionary());
  private readonly shapeCodes = new Map<string, number>();
  private readonly shapeRows: { kind: number; text: number[]; numbers: number[] }[] = [];
  private readonly tokenLastUse = new Map<string, string>();
  private readonly lastReadOf = new Map<string, string>();
  private rows = 0;
  private last: RecordedEvent | null = null;
  private faithful = true;
  private lastAt: string | null = null;
  private lastAtMs = Number.NaN;
  private readonly iso = new IsoFormatter();

  /** @throws RangeError for a chunk of more than 65,535 positions (see CHUNK_POSITIONS) */
  constructor(
    private readonly after: number,
    private readonly through: number,
  ) {
    const size = through - after;
    if (size > ABSENT) throw new RangeError('an access index chunk holds at most 65,535 positions');
    this.offset = new Uint16Array(size);
    this.atMs = new Float64Array(size);
    this.atText = new Uint16Array(size);
    this.shape = new Uint16Array(size);
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
    this.offset[i] = (row.position as number) - this.after - 1;
    const at = row.at as string;
    // Neighbouring events often share their time: the check below (a parse and a conversion back, most
    // of this method's cost) is made once per distinct time in a row.
    if (at !== this.lastAt) {
      const ms = Date.parse(at);
      this.lastAt = at;
      this.lastAtMs = Number.isFinite(ms) && this.iso.format(ms) === at ? ms : Number.NaN;
    }
    const exact = !Number.isNaN(this.lastAtMs);
    this.atMs[i] = this.lastAtMs;
    this.atText[i] = exact ? ABSENT : this.atTexts.code(at);
    // The shape's key from its codes, without an array per row (the cold path runs this for every access).
    const d = this.dictionaries;
    const kind = KINDS.indexOf(row.kind as AccessKind);
    const principal = d.principal.code(row.principal);
    const tokenId = d.tokenId.code(row.tokenId);
    const via = d.interface.code(row.interface);
    const env = d.env.code(row.env);
    const secret = d.secret.code(row.secret);
    const rule = d.rule.code(row.rule);
    const capability = d.capability.code(row.capability);
    const reason = d.reason.code(row.reason);
    const read = d.readOf.code(readOf);
    const { version, asOf, count } = row;
    const key = `${kind} ${principal} ${tokenId} ${via} ${env} ${secret} ${rule} ${capability} ${reason} ${read} ${version} ${asOf} ${count}`;
    let shape = this.shapeCodes.get(key);
    if (shape === undefined) {
      // In TEXT_COLUMNS and NUMBER_COLUMNS order.
      const text = [principal, tokenId, via, env, secret, rule, capability, reason, read];
      const numbers = [version ?? Number.NaN, asOf ?? Number.NaN, count ?? Number.NaN];
      shape = this.shapeRows.push({ kind, text, numbers }) - 1;
      this.shapeCodes.set(key, shape);
    }
    this.shape[i] = shape;
  }

  /** The digest, or null when this chunk cannot have one (see the class comment). */
  finish(): ChunkDigest | null {
    if (!this.faithful || this.last === null) return null;
    const rows = this.rows;
    const shapes = this.shapeRows;
    return {
      after: this.after,
      through: this.through,
      lastPosition: this.last.position,
      lastHash: this.last.hash,
      rows,
      offset: this.offset.slice(0, rows),
      atMs: this.atMs.slice(0, rows),
      atText: this.atText.slice(0, rows),
      atTexts: this.atTexts.values,
      shape: this.shape.slice(0, rows),
      shapes: {
        count: shapes.length,
        kind: Uint8Array.from(shapes, (s) => s.kind),
        text: Object.fromEntries(TEXT_COLUMNS.map((c, j) => [c, Uint16Array.from(shapes, (s) => s.text[j] as number)])) as Record<TextColumn, Uint16Array>,
        numbers: Object.fromEntries(NUMBER_COLUMNS.map((c, j) => [c, Float64Array.from(shapes, (s) => s.numbers[j] as number)])) as Record<NumberColumn, Float64Array>,
      },
      dictionaries: Object.fromEntries(TEXT_COLUMNS.map((c) => [c, this.dictionaries[c].values])) as Record<TextColumn, string[]>,
      tokenLastUse: [...this.tokenLastUse],
      lastReadOf: [...this.lastReadOf],
    };
  }
}
