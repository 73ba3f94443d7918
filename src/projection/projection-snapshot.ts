import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { EventStore } from '../event-store/event-store.port.js';
import type { SecretSlot } from '../secrets/domain/secret-slot.js';
import { STRONGROOM_VERSION } from '../shared/version.js';

/**
 * Projection snapshots: the secret slots (the bulk of the projection: ciphertext, never plaintext) as
 * of one log position, so start-up folds only the events after it. Keys, tokens and policies are not
 * in it: they are always folded from the log (few events, and the keys are needed to check the
 * snapshot in the first place).
 *
 * File format (`<home>/projection.snapshot`, 0600, written to a temporary file, fsynced, renamed):
 *   line 1         header JSON: format, Strongroom version, position, the chain hash of the event at
 *                  that position, number of slots
 *   next lines     one slot per line: [stream, revision, live | null, env, name, [secret ids]]
 *   last line      {"mac": hex}: HMAC-SHA256 over every byte before it, under a key derived (HKDF) from
 *                  the store's audit key, which only holders of the master key can unwrap
 *
 * On load it is used only if the MAC verifies, the format and Strongroom version match, and the store
 * holds, at that position, an event with that very chain hash (the HMAC chain covers every earlier
 * event, so the snapshot was folded from this log's prefix). Anything else, and the caller rebuilds
 * from the log: a snapshot is an optimisation, never a source of truth.
 */

const FORMAT = 'strongroom-projection-snapshot/1';
const HKDF_INFO = 'strongroom projection snapshot v1';

/** The slots of one snapshot, as the projection restores them. */
export interface SnapshotSlot {
  readonly stream: string;
  readonly slot: SecretSlot;
  /** The (environment, name) the stream names, when known. */
  readonly names: { readonly env: string; readonly name: string } | null;
  /** Secret ids (deleted ones too) whose slot stream this is. */
  readonly ids: readonly string[];
}

export interface ProjectionSnapshot {
  readonly position: number;
  readonly hash: string;
  readonly slots: readonly SnapshotSlot[];
}

interface Header {
  readonly format: string;
  readonly version: string;
  readonly position: number;
  readonly hash: string;
  readonly count: number;
}

/** Why a snapshot was not used (logged; the projection then rebuilds from the log). */
export type SnapshotRejection = 'missing' | 'unreadable' | 'mac' | 'format' | 'version' | 'not-in-this-log' | 'malformed';

/** The HMAC key of snapshots, derived from the audit key so it is not the key that seals the chain. */
export const snapshotKey = (auditKey: Buffer): Buffer => auditDerivedKey(auditKey, HKDF_INFO);

/**
 * A 32-byte key derived (HKDF-SHA256, no salt) from the audit key for one use, named by `info`: each
 * derived cache (snapshots, the access index) has its own, none of them the key that seals the chain.
 */
export const auditDerivedKey = (auditKey: Buffer, info: string): Buffer => Buffer.from(hkdfSync('sha256', auditKey, Buffer.alloc(0), info, 32));

/**
 * Writes `snapshot` to `path` atomically (temporary file, fsync, rename), 0600. Synchronous: called at
 * shutdown, when nothing else is being served.
 */
export const writeProjectionSnapshot = (path: string, key: Buffer, snapshot: ProjectionSnapshot): void => {
  const temporary = `${path}.${process.pid}.tmp`;
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
    const header: Header = { format: FORMAT, version: STRONGROOM_VERSION, position: snapshot.position, hash: snapshot.hash, count: snapshot.slots.length };
    line(JSON.stringify(header));
    for (const s of snapshot.slots) line(JSON.stringify([s.stream, s.slot.revision, s.slot.live, s.names?.env ?? null, s.names?.name ?? null, s.ids]));
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
 * Reads and checks the snapshot at `path` against `store` (see the file's doc). Returns the snapshot,
 * or why it cannot be used; never throws for a bad or missing file.
 */
export const readProjectionSnapshot = async (
  path: string,
  key: Buffer,
  store: EventStore,
): Promise<{ snapshot: ProjectionSnapshot } | { rejected: SnapshotRejection }> => {
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
  let snapshot: ProjectionSnapshot;
  try {
    const headerEnd = bytes.indexOf(0x0a);
    const header = JSON.parse(bytes.subarray(0, headerEnd).toString('utf8')) as Header;
    if (header.format !== FORMAT) return { rejected: 'format' };
    if (header.version !== STRONGROOM_VERSION) return { rejected: 'version' };
    const slots: SnapshotSlot[] = [];
    let at = headerEnd + 1;
    while (at < trailerStart) {
      const next = bytes.indexOf(0x0a, at);
      const [stream, revision, live, env, name, ids] = JSON.parse(bytes.subarray(at, next).toString('utf8')) as [
        string,
        number,
        SecretSlot['live'],
        string | null,
        string | null,
        string[],
      ];
      slots.push({ stream, slot: { revision, live }, names: env !== null && name !== null ? { env, name } : null, ids });
      at = next + 1;
    }
    if (slots.length !== header.count || !Number.isInteger(header.position) || header.position < 1) return { rejected: 'malformed' };
    snapshot = { position: header.position, hash: header.hash, slots };
  } catch {
    return { rejected: 'malformed' };
  }
  const [event] = await store.readAll({ from: snapshot.position - 1, maxCount: 1 });
  if (!event || event.position !== snapshot.position || event.hash !== snapshot.hash) return { rejected: 'not-in-this-log' };
  return { snapshot };
};

/** Where a home keeps its projection snapshot. */
export const SNAPSHOT_FILE = 'projection.snapshot';

/**
 * One process's use of snapshots: loaded at start-up, written at shutdown when at least `minEvents`
 * projected events were folded from the log since start-up (so a short CLI command on a snapshotted
 * home writes nothing). Failures are logged, never raised: the log stays the source of truth.
 */
export class ProjectionSnapshots {
  constructor(
    private readonly path: string,
    private readonly key: Buffer,
    private readonly minEvents: number,
    private readonly logger: { warn(object: object, message: string): void },
  ) {}

  /** A snapshot checked against `store`, or null (missing, or not usable: logged with the reason). */
  async load(store: EventStore): Promise<ProjectionSnapshot | null> {
    if (this.minEvents <= 0) return null;
    const result = await readProjectionSnapshot(this.path, this.key, store);
    if ('snapshot' in result) return result.snapshot;
    if (result.rejected !== 'missing') this.logger.warn({ reason: result.rejected }, 'projection snapshot not used; rebuilding the projection from the log');
    return null;
  }

  /** Writes the projection's snapshot when enough was folded since start-up. */
  saveIfDue(projection: { readonly foldedSinceStart: number; snapshot(): ProjectionSnapshot | null }): void {
    if (this.minEvents <= 0 || projection.foldedSinceStart < this.minEvents) return;
    try {
      const snapshot = projection.snapshot();
      if (snapshot) writeProjectionSnapshot(this.path, this.key, snapshot);
    } catch (e) {
      this.logger.warn({ reason: e instanceof Error ? e.message : String(e) }, 'could not write the projection snapshot');
    }
  }
}
