import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import type { Strongroom } from '../../src/bootstrap/strongroom.js';
import { readProjectionSnapshot, snapshotKey, SNAPSHOT_FILE, writeProjectionSnapshot, type ProjectionSnapshot, type SnapshotSlot } from '../../src/projection/projection-snapshot.js';
import { decodeSlot, encodeSlot, StringPool } from '../../src/projection/snapshot-slot-codec.js';
import { UpdateSecret } from '../../src/secrets/commands/update-secret/update-secret.use-case.js';
import { StoreSecret } from '../../src/secrets/commands/store-secret/store-secret.use-case.js';
import { StrongroomProjection } from '../../src/projection/strongroom-projection.js';
import { evolve, type LiveSecret } from '../../src/secrets/domain/secret-slot.js';
import { GetSecret } from '../../src/secrets/queries/get-secret/get-secret.use-case.js';
import { CapturedLogs, NEVER_WRITE, openWithSnapshots } from '../support/snapshot-home.js';
import { tempHome } from '../support/temp-home.js';

/**
 * Snapshot format 3 (positional slots, many a line): every field survives a round trip, however
 * unusual; tampering still fails the MAC; a format-2 file, correctly authenticated, is refused and
 * the projection rebuilt from the log.
 */

/** A live secret with no field at its fresh-secret value, so no elision hides a lost field. */
const unusual = (i: number): LiveSecret => ({
  id: `id-${i}`,
  name: `name-${i}`,
  env: 'staging',
  version: 3,
  ciphertext: `gAAAAA-cipher-${i}`,
  keyId: 'key-2',
  binary: true,
  metadata: { owner: 'ops', n: 7, on: true, none: null },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-02-01T00:00:00.000Z',
  lastRotatedAt: '2026-03-01T00:00:00.000Z',
  latestVersion: 4,
  stages: { previous: 2, pending: 4 },
  tags: { team: 'core' },
  expiresAt: '2027-01-01T00:00:00.000Z',
  expired: true,
  expiryWarnings: ['14d', '1d'],
  rotation: { every: '30d', generate: { length: 32, charset: 'alphanumeric' } },
  rotationDueNotified: '2026-04-01T00:00:00.000Z',
  deletedAt: '2026-05-01T00:00:00.000Z',
  purgeAt: '2026-06-01T00:00:00.000Z',
  destroyedVersions: [1],
});

/** A fresh secret: every elided field at its default. */
const fresh = (i: number): LiveSecret => ({
  ...unusual(i),
  env: 'default',
  binary: false,
  metadata: {},
  updatedAt: '2026-01-01T00:00:00.000Z',
  lastRotatedAt: '2026-01-01T00:00:00.000Z',
  stages: {},
  tags: {},
  expiresAt: null,
  expired: false,
  expiryWarnings: [],
  rotation: null,
  rotationDueNotified: null,
  deletedAt: null,
  purgeAt: null,
  destroyedVersions: [],
});

/** Slots of every shape the projection holds: live with its own names and id, renamed history, none live, never named. */
const shapes = (i: number): SnapshotSlot[] => [
  { stream: `secret-a${i}`, slot: { revision: 5, live: unusual(i) }, names: { env: 'staging', name: `name-${i}` }, ids: [`id-${i}`] },
  { stream: `secret-b${i}`, slot: { revision: 0, live: fresh(i) }, names: { env: 'default', name: `name-${i}` }, ids: [`id-${i}`] },
  { stream: `secret-c${i}`, slot: { revision: 9, live: fresh(i) }, names: { env: 'default', name: `name-${i}` }, ids: [`old-${i}`, `id-${i}`] },
  { stream: `secret-d${i}`, slot: { revision: 2, live: null }, names: { env: 'default', name: `gone-${i}` }, ids: [`gone-${i}`] },
  { stream: `secret-e${i}`, slot: { revision: -1, live: null }, names: null, ids: [] },
];

describe('projection snapshot format 3', () => {
  let home: string;
  let cleanup: () => void;
  let logs: CapturedLogs;
  beforeEach(() => {
    ({ home, cleanup } = tempHome('snapshot-format'));
    logs = new CapturedLogs();
  });
  afterEach(() => cleanup());

  const open = (minEvents: string): Promise<Strongroom> => openWithSnapshots({ home, logger: logs.logger }, minEvents);
  const path = (): string => join(home, SNAPSHOT_FILE);
  const reasons = (): string[] => logs.snapshotReasons();

  /** A home with three secrets and its real snapshot (position and hash of this log), plus its MAC key. */
  const seeded = async (): Promise<{ real: ProjectionSnapshot; key: Buffer }> => {
    const s = await open('1');
    try {
      for (let i = 0; i < 3; i++) await s.execute(StoreSecret, { name: `s-${i}`, value: `plaintext-${i}` });
      const real = s.runtime.projection.snapshot();
      if (!real) throw new Error('expected a snapshot');
      return { real, key: snapshotKey(s.runtime.keyring.auditKey) };
    } finally {
      await s.close();
    }
  };

  it('encodes and decodes every slot shape field for field', () => {
    for (const slot of shapes(1)) expect(decodeSlot(JSON.parse(JSON.stringify(encodeSlot(slot))), new StringPool())).toEqual(slot);
  });

  it('a decoded secret with shared empty records still evolves (nothing writes to them)', () => {
    const { slot } = decodeSlot(JSON.parse(JSON.stringify(encodeSlot(shapes(1)[1] as SnapshotSlot))), new StringPool());
    const at = { occurredAt: '2026-07-01T00:00:00.000Z' };
    const moved = evolve(slot, { type: 'SecretStageMoved', data: { secretId: 'id-1', stage: 'blue', version: 1 }, metadata: at, revision: 1 } as Parameters<typeof evolve>[1]);
    expect(moved.live?.stages).toEqual({ blue: 1 });
    expect(slot.live?.stages).toEqual({});
  });

  it('round-trips thousands of slots over several lines, with the time index, through the file and its checks', async () => {
    const { real, key } = await seeded();
    const slots = Array.from({ length: 600 }, (_, i) => shapes(i)).flat();
    writeProjectionSnapshot(path(), key, { ...real, slots });
    const s = await open(NEVER_WRITE);
    try {
      const read = await readProjectionSnapshot(path(), key, s.runtime.store);
      if (!('snapshot' in read)) throw new Error(`rejected: ${read.rejected}`);
      expect([...read.snapshot.slots]).toEqual(slots);
      expect(read.snapshot.times).toEqual(real.times);
      expect(readFileSync(path(), 'utf8').split('\n').length).toBeGreaterThan(4);
    } finally {
      await s.close();
    }
  });

  it('a flipped byte anywhere in a slot line fails the MAC; the projection is rebuilt from the log', async () => {
    await seeded();
    const bytes = readFileSync(path());
    const at = bytes.indexOf('"s-1"');
    bytes[at + 3] = '9'.charCodeAt(0);
    writeFileSync(path(), bytes, { mode: 0o600 });
    const s = await open(NEVER_WRITE);
    try {
      expect((await s.execute(GetSecret, { ref: 's-1' })).bytes.toString('utf8')).toBe('plaintext-1');
      await expect(s.execute(GetSecret, { ref: 's-9' })).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
    } finally {
      await s.close();
    }
    expect(reasons()).toEqual(['mac']);
  });

  /** The file at `path()` with its header changed by `edit`, authenticated again with `key` (as only a bug of ours could write it). */
  const rewriteHeader = (key: Buffer, edit: (header: Record<string, unknown>) => void): void => {
    const lines = readFileSync(path(), 'utf8').split('\n').slice(0, -2);
    const header = JSON.parse(lines[0] as string) as Record<string, unknown>;
    edit(header);
    const body = [JSON.stringify(header), ...lines.slice(1)].join('\n') + '\n';
    writeFileSync(path(), `${body}${JSON.stringify({ mac: createHmac('sha256', key).update(body).digest('hex') })}\n`, { mode: 0o600 });
  };

  it('an authenticated snapshot whose slot line disagrees with its header is dropped as its slots are decoded; the log is folded instead', async () => {
    const { key } = await seeded();
    // One more slot promised than the line holds: found only when the slots are decoded, in the restore.
    rewriteHeader(key, (header) => void (header.count = (header.count as number) + 1));
    const s = await open(NEVER_WRITE);
    try {
      expect(s.runtime.projection.foldedSinceStart).toBeGreaterThanOrEqual(3);
      for (let i = 0; i < 3; i++) expect((await s.execute(GetSecret, { ref: `s-${i}` })).bytes.toString('utf8')).toBe(`plaintext-${i}`);
    } finally {
      await s.close();
    }
    expect(reasons()).toEqual(['malformed projection snapshot: a slot line of the wrong length']);
  });

  it('the projection keeps no hold on the snapshot it restored (the subscription outlives start-up)', async () => {
    const { real } = await seeded();
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const s = await open(NEVER_WRITE);
    const projection = new StrongroomProjection(s.runtime.keyring, pino({ level: 'silent' }));
    try {
      const restored = await (async () => {
        const slots = [...real.slots];
        await projection.start(s.runtime.store, { ...real, slots });
        return new WeakRef(slots);
      })();
      expect(projection.liveCount).toBe(3);
      // A WeakRef's target lives to the end of the job that made it: collect in a later one.
      await new Promise((resolve) => setImmediate(resolve));
      gc();
      expect(restored.deref()).toBeUndefined();
    } finally {
      await projection.stop();
      await s.close();
    }
  });

  it('a format-2 snapshot, correctly authenticated and of this log, is refused and the log folded instead', async () => {
    const { real, key } = await seeded();
    // Format 2 as it was written: one slot object per line, the live secret with its field names.
    const header = { format: 'strongroom-projection-snapshot/2', version: JSON.parse(readFileSync(path(), 'utf8').split('\n')[0] as string).version, position: real.position, hash: real.hash, count: real.slots.length, timeEntries: 0 };
    const body = [JSON.stringify(header), ...real.slots.map((x) => JSON.stringify([x.stream, x.slot.revision, x.slot.live, x.names?.env ?? null, x.names?.name ?? null, x.ids]))].join('\n') + '\n';
    const mac = createHmac('sha256', key).update(body).digest('hex');
    writeFileSync(path(), `${body}${JSON.stringify({ mac })}\n`, { mode: 0o600 });
    const s = await open('1');
    try {
      expect(s.runtime.projection.foldedSinceStart).toBeGreaterThanOrEqual(3);
      await s.execute(UpdateSecret, { ref: 's-2', value: 'plaintext-2b' });
      expect((await s.execute(GetSecret, { ref: 's-2' })).bytes.toString('utf8')).toBe('plaintext-2b');
    } finally {
      await s.close();
    }
    expect(reasons()).toEqual(['format']);
    // The process that rebuilt wrote a current-format snapshot at close.
    expect(readFileSync(path(), 'utf8')).toContain('strongroom-projection-snapshot/3');
  });
});
