import { createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { STRONGROOM_VERSION } from '../../shared/version.js';
import { NUMBER_COLUMNS, TEXT_COLUMNS, type ChunkDigest, type NumberColumn, type TextColumn } from './chunk-digest.js';

/**
 * The file of one access-index chunk (`<home>/access-index/<k>.chunk`, 0600, written to a temporary
 * file, fsynced, renamed), authenticated like projection snapshots (src/projection/projection-snapshot.ts):
 *
 *   u32 LE n, n bytes   header JSON: format, Strongroom version, chunk range, rows, shapes, position
 *                       and chain hash of the chunk's last event
 *   u32 LE n, n bytes   JSON: the dictionaries (in TEXT_COLUMNS order), the `at` texts, tokenLastUse,
 *                       lastReadOf
 *   zero bytes          to a multiple of 8 from the start of the file
 *   Float64 LE          per row atMs; per shape NUMBER_COLUMNS
 *   Uint16 LE           per row offset, atText, shape; per shape TEXT_COLUMNS
 *   Uint8               per shape kind
 *   32 bytes            HMAC-SHA256 over every byte before it, under accessIndexKey (HKDF of the audit key)
 *
 * The MAC is checked (in constant time) before anything else is read. A file that passes every check
 * here is still only used once the store holds its last event with that very chain hash (access-index.ts).
 */

const FORMAT = 'strongroom-access-index/2';
const MAC_BYTES = 32;

interface Header {
  readonly format: string;
  readonly version: string;
  readonly after: number;
  readonly through: number;
  readonly rows: number;
  readonly shapes: number;
  readonly lastPosition: number;
  readonly lastHash: string;
}

interface Tables {
  readonly dictionaries: readonly (readonly string[])[];
  readonly atTexts: readonly string[];
  readonly tokenLastUse: readonly (readonly [string, string])[];
  readonly lastReadOf: readonly (readonly [string, string])[];
}

/** Why a chunk file was not used (the range is then folded from the log and the chunk rewritten). */
export type ChunkRejection = 'missing' | 'unreadable' | 'mac' | 'format' | 'version' | 'malformed' | 'not-in-this-log';

const lengthPrefixed = (json: string): Buffer => {
  const body = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(4 + body.length);
  out.writeUInt32LE(body.length, 0);
  body.copy(out, 4);
  return out;
};

const pad8 = (n: number): number => (8 - (n % 8)) % 8;

/** Bytes of the columns after the padding: per row 8 + 3 * 2, per shape 8 per number, 2 per text, 1 for the kind. */
const columnBytes = (rows: number, shapes: number): number => rows * 14 + shapes * (8 * NUMBER_COLUMNS.length + 2 * TEXT_COLUMNS.length + 1);

/** The bytes of `digest`'s file under `key` (little-endian columns; the MAC last). */
export const encodeChunk = (digest: ChunkDigest, key: Uint8Array): Buffer => {
  const header: Header = {
    format: FORMAT,
    version: STRONGROOM_VERSION,
    after: digest.after,
    through: digest.through,
    rows: digest.rows,
    shapes: digest.shapes.count,
    lastPosition: digest.lastPosition,
    lastHash: digest.lastHash,
  };
  const tables: Tables = { dictionaries: TEXT_COLUMNS.map((c) => digest.dictionaries[c]), atTexts: digest.atTexts, tokenLastUse: digest.tokenLastUse, lastReadOf: digest.lastReadOf };
  const head = lengthPrefixed(JSON.stringify(header));
  const dictionaries = lengthPrefixed(JSON.stringify(tables));
  const parts: Buffer[] = [head, dictionaries, Buffer.alloc(pad8(head.length + dictionaries.length))];
  const bytes = (view: ArrayBufferView): Buffer => Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  // Typed arrays are in the machine's byte order; files are little-endian (every platform Node runs on).
  const { shapes } = digest;
  parts.push(bytes(digest.atMs), ...NUMBER_COLUMNS.map((c) => bytes(shapes.numbers[c])));
  parts.push(bytes(digest.offset), bytes(digest.atText), bytes(digest.shape), ...TEXT_COLUMNS.map((c) => bytes(shapes.text[c])));
  parts.push(bytes(shapes.kind));
  const body = Buffer.concat(parts);
  return Buffer.concat([body, createHmac('sha256', key).update(body).digest()]);
};

/**
 * Reads a chunk file's bytes for the chunk (after, through]: the digest, or why it cannot be used.
 * Never throws. The store check (`not-in-this-log`) is the caller's.
 */
export const decodeChunk = (file: Buffer, key: Uint8Array, after: number, through: number): { digest: ChunkDigest } | { rejected: ChunkRejection } => {
  if (file.length < MAC_BYTES + 8) return { rejected: 'malformed' };
  const body = file.subarray(0, file.length - MAC_BYTES);
  const actual = createHmac('sha256', key).update(body).digest();
  if (!timingSafeEqual(actual, file.subarray(file.length - MAC_BYTES))) return { rejected: 'mac' };
  try {
    const headerLength = body.readUInt32LE(0);
    const header = JSON.parse(body.subarray(4, 4 + headerLength).toString('utf8')) as Header;
    if (header.format !== FORMAT) return { rejected: 'format' };
    if (header.version !== STRONGROOM_VERSION) return { rejected: 'version' };
    const { rows, shapes } = header;
    const size = through - after;
    if (header.after !== after || header.through !== through || !Number.isInteger(rows) || rows < 0 || rows > size || !Number.isInteger(shapes) || shapes < 0 || shapes > rows) return { rejected: 'malformed' };
    if (!Number.isInteger(header.lastPosition) || header.lastPosition <= after || header.lastPosition > through || typeof header.lastHash !== 'string') return { rejected: 'malformed' };
    const tablesAt = 4 + headerLength;
    const tablesLength = body.readUInt32LE(tablesAt);
    const tables = JSON.parse(body.subarray(tablesAt + 4, tablesAt + 4 + tablesLength).toString('utf8')) as Tables;
    let at = tablesAt + 4 + tablesLength;
    at += pad8(at);
    if (body.length !== at + columnBytes(rows, shapes)) return { rejected: 'malformed' };
    // Typed-array views need aligned offsets: copy when the file's buffer is not 8-aligned.
    const source = body.byteOffset % 8 === 0 ? body : Buffer.from(body);
    const view = <T>(make: (buffer: ArrayBufferLike, offset: number, length: number) => T, width: number, length: number): T => {
      const out = make(source.buffer, source.byteOffset + at, length);
      at += length * width;
      return out;
    };
    const f64 = (n: number): Float64Array => view((b, o, l) => new Float64Array(b, o, l), 8, n);
    const u16 = (n: number): Uint16Array => view((b, o, l) => new Uint16Array(b, o, l), 2, n);
    const atMs = f64(rows);
    const numbers = Object.fromEntries(NUMBER_COLUMNS.map((c) => [c, f64(shapes)])) as Record<NumberColumn, Float64Array>;
    const [offset, atText, shape] = [u16(rows), u16(rows), u16(rows)] as [Uint16Array, Uint16Array, Uint16Array];
    const text = Object.fromEntries(TEXT_COLUMNS.map((c) => [c, u16(shapes)])) as Record<TextColumn, Uint16Array>;
    const kind = view((b, o, l) => new Uint8Array(b, o, l), 1, shapes);
    const dictionaries = Object.fromEntries(TEXT_COLUMNS.map((c, i) => [c, tables.dictionaries[i] ?? []])) as Record<TextColumn, string[]>;
    return {
      digest: {
        after,
        through,
        lastPosition: header.lastPosition,
        lastHash: header.lastHash,
        rows,
        offset,
        atMs,
        atText,
        atTexts: tables.atTexts,
        shape,
        shapes: { count: shapes, kind, text, numbers },
        dictionaries,
        tokenLastUse: tables.tokenLastUse,
        lastReadOf: tables.lastReadOf,
      },
    };
  } catch {
    return { rejected: 'malformed' };
  }
};

/**
 * Writes `bytes` to `path` atomically: a temporary file of this process and thread (0600), fsynced,
 * renamed over `path`. @throws the file system's error (the caller logs it and goes on)
 */
export const writeFileAtomically = (path: string, bytes: Buffer): void => {
  const temporary = `${path}.${process.pid}.${threadId}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(temporary, path);
};
