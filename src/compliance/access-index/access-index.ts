import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { eachContiguous } from '../../event-store/contiguous-positions.js';
import { join } from 'node:path';
import type { RangeReader } from '../../event-store/range-reader.js';
import { auditDerivedKey } from '../../projection/projection-snapshot.js';
import type { ReportFilter } from '../access-report.js';
import { RunBuilder, type ReportFormat } from '../queries/get-access-report/report-format.js';
import { ReportFold } from '../report-fold.js';
import { foldRange, type FoldedRange } from '../report-text.js';
import { DigestBuilder, isWholeChunk, type ChunkDigest } from './chunk-digest.js';
import { decodeChunk, encodeChunk, writeFileAtomically, type ChunkRejection } from './chunk-file.js';
import { foldDigest } from './digest-fold.js';

/**
 * The access index (issue 9, section 2): per whole chunk of the log, an authenticated digest of what the
 * access report folds from it (chunk-digest.ts, chunk-file.ts), so a whole-log report reads a file per
 * 20,000 positions instead of parsing every event. A cache, never a source of truth: a chunk is used
 * only when its MAC verifies, its format and Strongroom version match, and the store holds at its
 * last position an event with that very chain hash (the HMAC chain covers every earlier event, so the
 * digest was folded from this log). Anything else, and the range is folded from the log and the chunk
 * rewritten. Written by the report itself and, in a server, kept warm in the background
 * (index-warmer.ts). Worker threads get the directory and the derived key through workerData (same
 * process); they never see the master or audit key.
 */

/** Where the index lives and the key that authenticates it. Plain data: it is posted to worker threads. */
export interface AccessIndexLocation {
  /** `<home>/access-index` (0700; chunk files 0600). */
  readonly dir: string;
  /** accessIndexKey(audit key): 32 bytes. */
  readonly key: Uint8Array;
  /** Positions per chunk: CHUNK_POSITIONS, smaller only in tests. */
  readonly chunkPositions: number;
}

const HKDF_INFO = 'strongroom access index v1';

/** The HMAC key of access-index chunks, derived (HKDF-SHA256) from the audit key with its own info string. */
export const accessIndexKey = (auditKey: Buffer): Buffer => auditDerivedKey(auditKey, HKDF_INFO);

/** The directory of a home's access index. */
export const accessIndexDir = (home: string): string => join(home, 'access-index');

/** The file of chunk k. */
export const chunkFile = (dir: string, k: number): string => join(dir, `${k}.chunk`);

/** The chain hash of the event at `position`, or null when the store holds none there (one point read). */
export type HashAt = (position: number) => Promise<string | null>;

/** A range reader's point read of the event at `position`. */
export const hashAtOf =
  (reader: RangeReader): HashAt =>
  async (position) => {
    let hash: string | null = null;
    await reader.each(position - 1, position, (e) => {
      if (e.position === position) hash = e.hash;
    });
    return hash;
  };

/** What a report notes about the index (logged once per report by the caller; never a secret, never a key). */
export type IndexNote = { readonly unusable: ChunkRejection } | { readonly unwritable: string };

/**
 * Reads chunk (after, through] and checks it against the store, or says why not.
 * Never throws for a bad or missing file.
 */
export const loadChunk = async (index: AccessIndexLocation, after: number, through: number, hashAt: HashAt): Promise<{ digest: ChunkDigest } | { rejected: ChunkRejection }> => {
  let file: Buffer;
  try {
    file = readFileSync(chunkFile(index.dir, after / index.chunkPositions));
  } catch (e) {
    return { rejected: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable' };
  }
  const decoded = decodeChunk(file, index.key, after, through);
  if ('rejected' in decoded) return decoded;
  if ((await hashAt(decoded.digest.lastPosition)) !== decoded.digest.lastHash) return { rejected: 'not-in-this-log' };
  return decoded;
};

/**
 * Writes `digest`'s chunk file (the directory made 0700 if missing). Returns null, or what went wrong
 * (an unwritable home, a full disk: the report goes on without it).
 */
export const saveChunk = (index: AccessIndexLocation, digest: ChunkDigest): IndexNote | null => {
  try {
    mkdirSync(index.dir, { recursive: true, mode: 0o700 });
    writeFileAtomically(chunkFile(index.dir, digest.after / index.chunkPositions), encodeChunk(digest, index.key));
    return null;
  } catch (e) {
    // Only the error code (EACCES, ENOSPC, ...): the index holds no secret, but a message need not travel.
    return { unwritable: (e as NodeJS.ErrnoException).code ?? 'error' };
  }
};

/** Whether chunk k has a file (not whether it is valid: a report checks that when it reads it). */
export const hasChunk = (index: AccessIndexLocation, k: number): boolean => existsSync(chunkFile(index.dir, k));

/** A range folded through the index: the text runs and state, and what to note about the index. */
export interface IndexedRange extends FoldedRange {
  readonly note?: IndexNote;
}

/**
 * Folds (after, through] of the report: a whole chunk the window does not cut (`filter.toPosition`
 * at or past its end) from its index file when that is usable, else from the log, writing its chunk
 * file on the way; any other range from the log as `foldRange` does.
 */
export const foldIndexedRange = async (
  reader: RangeReader,
  after: number,
  through: number,
  filter: ReportFilter,
  format: ReportFormat,
  index: AccessIndexLocation | null,
): Promise<IndexedRange> => {
  if (index === null || !isWholeChunk(after, through, index.chunkPositions) || (filter.toPosition !== undefined && filter.toPosition < through)) return foldRange(reader, after, through, filter, format);
  const loaded = await loadChunk(index, after, through, hashAtOf(reader));
  let note: IndexNote | undefined;
  let digest: ChunkDigest | null;
  // A chunk is built only from a whole range with no hole (buildDigest), and its last event's chain hash
  // still matches; an event removed inside it since would go unseen, so the store counts the range (an
  // index count) and one missing sends the range to the log, whose read names the hole (LOG_GAP).
  // A reader that cannot count cannot show that, so its ranges always go to the log.
  const whole = 'digest' in loaded && reader.count !== undefined && (await reader.count(after, through)) === through - after;
  if ('digest' in loaded && whole) digest = loaded.digest;
  else {
    if ('rejected' in loaded && loaded.rejected !== 'missing') note = { unusable: loaded.rejected };
    digest = await buildDigest(reader, after, through);
    const unwritable = digest === null ? null : saveChunk(index, digest);
    if (unwritable) note = unwritable;
  }
  if (digest === null) return foldRange(reader, after, through, filter, format);
  const fold = new ReportFold(filter);
  const runs = new RunBuilder(format);
  await foldDigest(digest, filter, format, fold, runs);
  return { runs: runs.take(), partial: fold.partial(), reached: through, ...(note && { note }) };
};

/** The digest of chunk (after, through] read from the log, or null when it cannot have one. */
export const buildDigest = async (reader: RangeReader, after: number, through: number): Promise<ChunkDigest | null> => {
  const builder = new DigestBuilder(after, through);
  // Checked for holes as it is read (a chunk stands in for the whole range from then on).
  await eachContiguous(reader, after, through, (e) => builder.add(e));
  return builder.finish();
};
