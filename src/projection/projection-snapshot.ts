import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { sameMac } from '../crypto/same-mac.js';
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { EventStore } from '../event-store/event-store.port.js';
import type { SecretSlot } from '../secrets/domain/secret-slot.js';
import { STRONGROOM_VERSION } from '../shared/version.js';
import { decodeSlot, encodeSlot, StringPool, type EncodedSlot } from './snapshot-slot-codec.js';

/**
 * Projection snapshots: the secret slots (the bulk of the projection: ciphertext, never plaintext) as
 * of one log position, so start-up folds only the events after it. Keys, tokens and policies are not
 * in it: they are always folded from the log (few events, and the keys are needed to check the
 * snapshot in the first place).
 *
 * The time index (time -> position, src/compliance/time-index.ts) is in it too: point-in-time reads
 * resolve a time with it, and the events before the snapshot are never folded again to rebuild it.
 *
 * File format (`<home>/projection.snapshot`, 0600, written to a temporary file, fsynced, renamed):
 *   line 1         header JSON: format, Strongroom version, position, the chain hash of the event at
 *                  that position, number of slots, number of time-index entries
 *   next lines     the slots, up to SLOT_CHUNK a line: a JSON array of slots, each in the positional
 *                  form of snapshot-slot-codec.ts (no field names; fresh-secret values as 0)
 *   next lines     the time index, up to TIME_CHUNK entries a line: [base64 times, base64 positions],
 *                  each a run of float64 little-endian (running time in ms since the epoch; position)
 *   last line      {"mac": hex}: HMAC-SHA256 over every byte before it, under a key derived (HKDF) from
 *                  the store's audit key, which only holders of the master key can unwrap
 *
 * On load it is used only if the MAC verifies, the format and Strongroom version match, and the store
 * holds, at that position, an event with that very chain hash (the HMAC chain covers every earlier
 * event, so the snapshot was folded from this log's prefix). Anything else, and the caller rebuilds
 * from the log: a snapshot is an optimisation, never a source of truth.
 */

/**
 * Format 2 added the time index; format 3 made slots positional, many a line (half the bytes, one
 * JSON.parse per SLOT_CHUNK slots: see BENCHMARKS.md, issue 11). An older format is refused ('format')
 * and the log is folded instead.
 */
const FORMAT = 'strongroom-projection-snapshot/3';
/** The MAC key's derivation, unchanged by format changes (the header names the format). */
const HKDF_INFO = 'strongroom projection snapshot v1';
/** Time-index entries per line: 64 Ki entries are 1.4 MB of base64, so no line becomes one huge string. */
const TIME_CHUNK = 65_536;
/** Slots per line: about 370 KB of JSON at 360 bytes a slot, so one parse call serves many slots and no line becomes one huge string. */
const SLOT_CHUNK = 1_024;

/** The slots of one snapshot, as the projection restores them. */
export interface SnapshotSlot {
  readonly stream: string;
  readonly slot: SecretSlot;
  /** The (environment, name) the stream names, when known. */
  readonly names: { readonly env: string; readonly name: string } | null;
  /** Secret ids (deleted ones too) whose slot stream this is. */
  readonly ids: readonly string[];
}

/** The time index as of a snapshot: parallel lists (see TimeIndex.entries). */
export interface SnapshotTimes {
  /** Running times, ms since the epoch, increasing. */
  readonly times: Float64Array;
  /** Log positions, increasing, none beyond the snapshot's position. */
  readonly positions: Float64Array;
}

export interface ProjectionSnapshot {
  readonly position: number;
  readonly hash: string;
  readonly slots: readonly SnapshotSlot[];
  readonly times: SnapshotTimes;
}

interface Header {
  readonly format: string;
  readonly version: string;
  readonly position: number;
  readonly hash: string;
  readonly count: number;
  readonly timeEntries: number;
}

/** Float64 values as little-endian bytes in base64 (explicit byte order: no dependence on the platform's). */
const encodeFloats = (values: Float64Array, from: number, to: number): string => {
  const bytes = Buffer.allocUnsafe((to - from) * 8);
  for (let i = from; i < to; i++) bytes.writeDoubleLE(values[i] as number, (i - from) * 8);
  return bytes.toString('base64');
};

const decodeFloats = (text: string, into: Float64Array, at: number): number => {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 8 !== 0 || at + bytes.length / 8 > into.length) throw new Error('time index: bad length');
  for (let i = 0; i < bytes.length / 8; i++) into[at + i] = bytes.readDoubleLE(i * 8);
  return bytes.length / 8;
};

/** Why a snapshot was not used (logged; the projection then rebuilds from the log). */
export type SnapshotRejection = 'missing' | 'unreadable' | 'mac' | 'format' | 'version' | 'not-in-this-log' | 'malformed';

/** The HMAC key of snapshots, derived from the audit key so it is not the key that seals the chain. */
export const snapshotKey = (auditKey: Buffer): Buffer => auditDerivedKey(auditKey, HKDF_INFO);

/**
 * A 32-byte key derived (HKDF-SHA256, no salt) from the audit key for one use, named by `info`: each
 * derived cache (snapshots, the access index) has its own, none of them the key that seals the chain.
 */
export const auditDerivedKey = (auditKey: Buffer, info: string): Buffer => Buffer.from(hkdfSync('sha256', auditKey, Buffer.alloc(0), info, 32));

/** The temporary file a process writes a snapshot to before renaming it over `path`. */
const temporaryOf = (path: string, pid: number): string => `${path}.${pid}.tmp`;

/**
 * Writes `snapshot` to `path` atomically (temporary file, fsync, rename), 0600. Synchronous: called at
 * shutdown, when nothing else is being served.
 */
export const writeProjectionSnapshot = (path: string, key: Buffer, snapshot: ProjectionSnapshot): void => {
  const temporary = temporaryOf(path, process.pid);
  const fd = openSync(temporary, 'w', 0o600);
  try {
    const mac = createHmac('sha256', key);
    let chunk: string[] = [];
    let size = 0;
    const flush = (): void => {
      if (chunk.length === 0) return;
      const bytes = Buffer.from(chunk.join(''), 'utf8');
      mac.update(bytes);
      writeSync(fd, bytes);
      chunk = [];
      size = 0;
    };
    const line = (text: string): void => {
      chunk.push(text, '\n');
      size += text.length + 1;
      if (size >= 1 << 20) flush();
    };
    const { times, positions } = snapshot.times;
    const header: Header = {
      format: FORMAT,
      version: STRONGROOM_VERSION,
      position: snapshot.position,
      hash: snapshot.hash,
      count: snapshot.slots.length,
      timeEntries: times.length,
    };
    line(JSON.stringify(header));
    for (let from = 0; from < snapshot.slots.length; from += SLOT_CHUNK) {
      line(JSON.stringify(snapshot.slots.slice(from, from + SLOT_CHUNK).map(encodeSlot)));
    }
    for (let from = 0; from < times.length; from += TIME_CHUNK) {
      const to = Math.min(times.length, from + TIME_CHUNK);
      line(JSON.stringify([encodeFloats(times, from, to), encodeFloats(positions, from, to)]));
    }
    flush();
    writeSync(fd, `${JSON.stringify({ mac: mac.digest('hex') })}\n`);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(temporary, path);
};

/**
 * A snapshot as read back: its slots are decoded as they are iterated, one line (SLOT_CHUNK slots)
 * at a time, so the decoded wrappers of a million slots never live at once (they would all be copied
 * by the young-generation GC and promoted before the projection took them). Iterate `slots` once.
 * Iterating throws an Error ('malformed projection snapshot: ...') if a line does not decode: the
 * MAC makes that a bug of ours, never a forgery, and the caller then rebuilds from the log.
 */
export interface LoadedSnapshot extends Omit<ProjectionSnapshot, 'slots'> {
  readonly slots: Iterable<SnapshotSlot>;
}

/** The slot lines' slots, decoded line by line; checks each line holds the number the header promised. */
function* decodeSlotLines(bytes: Buffer, lines: readonly (readonly [number, number])[], count: number): Generator<SnapshotSlot> {
  let left = count;
  const pool = new StringPool();
  for (const [at, next] of lines) {
    const chunk = JSON.parse(bytes.toString('utf8', at, next)) as EncodedSlot[];
    if (!Array.isArray(chunk) || chunk.length !== Math.min(left, SLOT_CHUNK)) throw new Error('malformed projection snapshot: a slot line of the wrong length');
    left -= chunk.length;
    for (const encoded of chunk) yield decodeSlot(encoded, pool);
  }
}

/**
 * Reads and checks the snapshot at `path` against `store` (see the file's doc): the MAC over every
 * byte, the header, the time index, and the chain hash at its position, all before any slot is
 * decoded. Returns the snapshot (slots decoded lazily, see LoadedSnapshot), or why it cannot be
 * used; never throws for a bad or missing file.
 */
export const readProjectionSnapshot = async (
  path: string,
  key: Buffer,
  store: EventStore,
): Promise<{ snapshot: LoadedSnapshot } | { rejected: SnapshotRejection }> => {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return { rejected: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable' };
  }
  // The trailer is the last line; everything before it is authenticated.
  const end = bytes.length - 1;
  if (end < 1 || bytes[end] !== 0x0a) return { rejected: 'malformed' };
  const trailerStart = bytes.lastIndexOf(0x0a, end - 1) + 1;
  if (trailerStart <= 0) return { rejected: 'malformed' };
  let claimed: Buffer;
  try {
    const trailer = JSON.parse(bytes.subarray(trailerStart, end).toString('utf8')) as { mac?: unknown };
    if (typeof trailer.mac !== 'string' || !/^[0-9a-f]{64}$/.test(trailer.mac)) return { rejected: 'malformed' };
    claimed = Buffer.from(trailer.mac, 'hex');
  } catch {
    return { rejected: 'malformed' };
  }
  const actual = createHmac('sha256', key).update(bytes.subarray(0, trailerStart)).digest();
  if (!timingSafeEqual(actual, claimed)) return { rejected: 'mac' };
  let snapshot: LoadedSnapshot;
  try {
    const headerEnd = bytes.indexOf(0x0a);
    const header = JSON.parse(bytes.subarray(0, headerEnd).toString('utf8')) as Header;
    if (header.format !== FORMAT) return { rejected: 'format' };
    if (header.version !== STRONGROOM_VERSION) return { rejected: 'version' };
    if (!Number.isInteger(header.count) || header.count < 0 || !Number.isInteger(header.timeEntries) || header.timeEntries < 0) return { rejected: 'malformed' };
    if (!Number.isInteger(header.position) || header.position < 1) return { rejected: 'malformed' };
    // Where each slot line is (a newline scan, no decoding yet); the time index follows them.
    const slotLines: (readonly [number, number])[] = [];
    let at = headerEnd + 1;
    for (let n = Math.ceil(header.count / SLOT_CHUNK); n > 0; n--) {
      const next = bytes.indexOf(0x0a, at);
      if (next < 0 || next >= trailerStart) return { rejected: 'malformed' };
      slotLines.push([at, next]);
      at = next + 1;
    }
    const times = { times: new Float64Array(header.timeEntries), positions: new Float64Array(header.timeEntries) };
    let entries = 0;
    while (at < trailerStart) {
      const next = bytes.indexOf(0x0a, at);
      const [t, p] = JSON.parse(bytes.toString('utf8', at, next)) as [string, string];
      const read = decodeFloats(t, times.times, entries);
      if (decodeFloats(p, times.positions, entries) !== read) return { rejected: 'malformed' };
      entries += read;
      at = next + 1;
    }
    if (entries !== header.timeEntries) return { rejected: 'malformed' };
    if (entries > 0 && (times.positions[entries - 1] as number) > header.position) return { rejected: 'malformed' };
    snapshot = { position: header.position, hash: header.hash, slots: decodeSlotLines(bytes, slotLines, header.count), times };
  } catch {
    return { rejected: 'malformed' };
  }
  const [event] = await store.readAll({ from: snapshot.position - 1, maxCount: 1 });
  if (!event || event.position !== snapshot.position || !sameMac(event.hash, snapshot.hash)) return { rejected: 'not-in-this-log' };
  return { snapshot };
};

/** Where a home keeps its projection snapshot. */
export const SNAPSHOT_FILE = 'projection.snapshot';

/** False when no process has id `pid` (its temporary file can only be left over from a crash). */
const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, as another user's process.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The names in `dir`; none when it does not exist (a home a PostgreSQL replica never created). */
const entriesOf = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
};

/**
 * Removes the snapshot at `path` and the temporary files of snapshot writes beside it for which
 * `temporary(pid)` is true, then fsyncs the directory so the removal itself is durable. Returns how
 * many files were removed. Throws what the file system throws (other than a file already gone).
 */
export const removeSnapshotFiles = (path: string, options: { readonly snapshot: boolean; readonly temporary: (pid: number) => boolean }): number => {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  const doomed: string[] = options.snapshot ? [path] : [];
  for (const entry of entriesOf(dir)) {
    const pid = /^(\d+)\.tmp$/.exec(entry.startsWith(prefix) ? entry.slice(prefix.length) : '')?.[1];
    if (pid !== undefined && options.temporary(Number(pid))) doomed.push(join(dir, entry));
  }
  let removed = 0;
  for (const file of doomed) {
    try {
      unlinkSync(file);
      removed++;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  if (removed > 0) {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  return removed;
};

/**
 * One process's use of snapshots: loaded at start-up, written at shutdown when at least `minEvents`
 * projected events were folded from the log since start-up (so a short CLI command on a snapshotted
 * home writes nothing), removed whenever the projection folds a destroy. A snapshot refused at
 * start-up (its MAC, its form, another format or version, not of this log) or that could not be
 * folded onto is removed at once, since it can never become usable and would be refused (with a
 * warning) by every later start; this process, which then folds the whole log, writes a fresh one at
 * shutdown whatever `minEvents`. A snapshot that cannot be read (permissions) is left alone. Failures
 * are logged, never raised: the log stays the source of truth.
 */
export class ProjectionSnapshots {
  /** Set once this process removed an unusable snapshot: its shutdown writes the replacement. */
  private replacing = false;

  constructor(
    private readonly path: string,
    private readonly key: Buffer,
    private readonly minEvents: number,
    private readonly logger: { warn(object: object, message: string): void; error(object: object, message: string): void },
  ) {}

  /**
   * A snapshot checked against `store`, or null (missing, or not usable: logged with the reason).
   * First removes the temporary files that interrupted writes left (their process is gone): they may
   * hold ciphertexts a destroy has since redacted.
   */
  async load(store: EventStore): Promise<LoadedSnapshot | null> {
    this.remove({ snapshot: false, temporary: (pid) => pid === process.pid || !processAlive(pid) }, 'could not remove a left-over temporary snapshot file');
    if (this.minEvents <= 0) return null;
    const result = await readProjectionSnapshot(this.path, this.key, store);
    if ('snapshot' in result) return result.snapshot;
    if (result.rejected === 'unreadable') this.logger.warn({ reason: result.rejected }, 'projection snapshot not used; rebuilding the projection from the log');
    else if (result.rejected !== 'missing') this.reject(result.rejected);
    return null;
  }

  /**
   * Gives up a snapshot that is of no use (refused by its checks, or `load`ed but not foldable onto):
   * logs why, removes it now and has this process's shutdown write a fresh one (see the class comment).
   */
  reject(reason: string): void {
    this.logger.warn({ reason }, 'projection snapshot not used (removed; replaced at shutdown); rebuilding the projection from the log');
    this.remove({ snapshot: true, temporary: () => false }, 'could not remove the unusable projection snapshot');
    this.replacing = true;
  }

  /**
   * Removes this home's snapshot and every temporary snapshot file (a write in progress then fails its
   * rename and is logged), durably, whether or not snapshots are enabled: called when the projection
   * folds a SecretVersionsDestroyed event, as the snapshot may hold a ciphertext the log now redacts.
   * A failure is logged as an error: the destroyed value may then still be on disk.
   */
  discard(): void {
    this.remove({ snapshot: true, temporary: () => true }, 'could not remove the projection snapshot after a destroy; remove it by hand');
  }

  private remove(which: Parameters<typeof removeSnapshotFiles>[1], failure: string): void {
    try {
      removeSnapshotFiles(this.path, which);
    } catch (e) {
      this.logger.error({ path: this.path, reason: e instanceof Error ? e.message : String(e) }, failure);
    }
  }

  /** Writes the projection's snapshot when enough was folded since start-up, or it replaces one rejected at start-up. */
  saveIfDue(projection: { readonly foldedSinceStart: number; snapshot(): ProjectionSnapshot | null }): void {
    if (this.minEvents <= 0 || (!this.replacing && projection.foldedSinceStart < this.minEvents)) return;
    try {
      const snapshot = projection.snapshot();
      if (snapshot) writeProjectionSnapshot(this.path, this.key, snapshot);
      this.replacing = false;
    } catch (e) {
      this.logger.warn({ reason: e instanceof Error ? e.message : String(e) }, 'could not write the projection snapshot');
    }
  }
}
