import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Strongroom } from '../../src/bootstrap/strongroom.js';
import { SNAPSHOT_FILE } from '../../src/projection/projection-snapshot.js';
import { DestroySecret } from '../../src/secrets/commands/destroy-secret/destroy-secret.use-case.js';
import { StoreSecret } from '../../src/secrets/commands/store-secret/store-secret.use-case.js';
import { UpdateSecret } from '../../src/secrets/commands/update-secret/update-secret.use-case.js';
import { GetSecret } from '../../src/secrets/queries/get-secret/get-secret.use-case.js';
import { assertBuilt, cliIn } from '../cli/run-cli.js';
import { dropSchema, freshSchemaName, testPostgresUrl, withSchema } from '../support/pg-test-db.js';
import { NEVER_WRITE, openWithSnapshots, type SnapshotHome } from '../support/snapshot-home.js';
import { tempHome } from '../support/temp-home.js';

/**
 * No projection snapshot keeps a ciphertext the log has redacted: a process that folds a destroy
 * removes its home's snapshot before the destroy is answered (or as it starts, for a snapshot older
 * than the destroy), later snapshots hold no destroyed version, and left-over temporary files go.
 */

const snapshotOf = (home: string): string => join(home, SNAPSHOT_FILE);

/** Every snapshot file of a home (the snapshot and temporary ones), as one text. */
const snapshotBytes = (home: string): string =>
  readdirSync(home)
    .filter((f) => f.startsWith(SNAPSHOT_FILE))
    .map((f) => readFileSync(join(home, f), 'latin1'))
    .join('\n');

/** The ciphertexts of one version of a secret, as the log holds them now. */
const ciphertextsOf = async (s: Strongroom, id: string, version: number): Promise<string[]> => {
  const events = await s.runtime.store.readAll({ from: 0, maxCount: 10_000 });
  return events
    .map((e) => e.data as { secretId?: string; version?: number; ciphertext?: unknown })
    .filter((d) => d.secretId === id && d.version === version && typeof d.ciphertext === 'string')
    .map((d) => d.ciphertext as string);
};

/** Stores v1 (and writes a snapshot holding its ciphertext); returns its id and that ciphertext. */
const seed = async (at: SnapshotHome): Promise<{ id: string; ciphertext: string }> => {
  const s = await openWithSnapshots(at, '1');
  try {
    const { id } = await s.execute(StoreSecret, { name: 'db/password', value: 'first-value' });
    const [ciphertext] = await ciphertextsOf(s, id, 1);
    if (ciphertext === undefined) throw new Error('expected the stored ciphertext in the log');
    return { id, ciphertext };
  } finally {
    await s.close();
  }
};

describe('destroy and projection snapshots (SQLite)', () => {
  let home: string;
  let cleanup: () => void;
  beforeEach(() => ({ home, cleanup } = tempHome('snap-destroy')));
  afterEach(() => cleanup());

  it('removes the snapshot before the destroy is answered; the next snapshot holds no destroyed version; the value reads back no way', async () => {
    const { id, ciphertext } = await seed({ home });
    expect(snapshotBytes(home)).toContain(ciphertext);
    const s = await openWithSnapshots({ home }, '1');
    let v1At: number;
    try {
      await s.execute(UpdateSecret, { ref: 'db/password', value: 'second-value' });
      v1At = (await s.runtime.store.readAll({ from: 0, maxCount: 10_000 })).find((e) => (e.data as { secretId?: string }).secretId === id)?.position ?? 0;
      const destroyed = await s.execute(DestroySecret, { ref: 'db/password', versions: [1] });
      expect(destroyed.redacted).toBe(1);
      expect(existsSync(snapshotOf(home))).toBe(false);
      expect(await ciphertextsOf(s, id, 1)).toEqual([]);
    } finally {
      await s.close();
    }
    // This process folded enough to write a snapshot at shutdown: it holds version 2 only.
    expect(existsSync(snapshotOf(home))).toBe(true);
    expect(snapshotBytes(home)).not.toContain(ciphertext);
    const again = await openWithSnapshots({ home }, NEVER_WRITE);
    try {
      expect((await again.execute(GetSecret, { ref: 'db/password' })).bytes.toString('utf8')).toBe('second-value');
      await expect(again.execute(GetSecret, { ref: 'db/password', version: 1 })).rejects.toMatchObject({ code: 'VERSION_DESTROYED' });
      await expect(again.execute(GetSecret, { ref: 'db/password', at: v1At })).rejects.toMatchObject({ code: 'VERSION_DESTROYED' });
    } finally {
      await again.close();
    }
  });

  it('a whole destroy from the CLI removes the snapshot that holds the current value', async () => {
    assertBuilt();
    const { ciphertext } = await seed({ home });
    expect(snapshotBytes(home)).toContain(ciphertext);
    const destroyed = await cliIn(home).run(['destroy-secret', 'db/password']);
    expect(destroyed.stdout).toMatch(/1 payloads redacted/);
    expect(existsSync(snapshotOf(home))).toBe(false);
    expect(snapshotBytes(home)).not.toContain(ciphertext);
    expect(`${destroyed.stdout}${destroyed.stderr}`).not.toContain(ciphertext);
  });

  it('start-up removes temporary files of interrupted writes (their process gone), and a destroy removes any', async () => {
    await seed({ home });
    // The id of a process that has exited: its temporary file can only be a leftover.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const leftover = join(home, `${SNAPSHOT_FILE}.${gone}.tmp`);
    const writing = join(home, `${SNAPSHOT_FILE}.${process.ppid}.tmp`); // a live process, perhaps writing now
    writeFileSync(leftover, 'gAAAAA-left-over', { mode: 0o600 });
    writeFileSync(writing, 'gAAAAA-being-written', { mode: 0o600 });
    const s = await openWithSnapshots({ home }, NEVER_WRITE);
    try {
      expect(existsSync(leftover)).toBe(false);
      expect(existsSync(writing)).toBe(true);
      await s.execute(DestroySecret, { ref: 'db/password' });
      expect(readdirSync(home).filter((f) => f.startsWith(SNAPSHOT_FILE))).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('another home on the same store drops its snapshot older than the destroy as it starts', async () => {
    const { ciphertext } = await seed({ home });
    const other = tempHome('snap-destroy-b');
    try {
      const b: SnapshotHome = { home: other.home, store: `sqlite:${join(home, 'strongroom.db')}`, env: { STRONGROOM_MASTER_KEY_FILE: join(home, 'master.key') } };
      await (await openWithSnapshots(b, '1')).close(); // B's own snapshot, holding v1's ciphertext
      expect(snapshotBytes(other.home)).toContain(ciphertext);
      const a = await openWithSnapshots({ home }, NEVER_WRITE);
      await a.execute(DestroySecret, { ref: 'db/password' });
      await a.close();
      expect(snapshotBytes(other.home)).toContain(ciphertext); // B has not run since
      const later = await openWithSnapshots(b, NEVER_WRITE);
      try {
        expect(existsSync(snapshotOf(other.home))).toBe(false);
        await expect(later.execute(GetSecret, { ref: 'db/password' })).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
      } finally {
        await later.close();
      }
    } finally {
      other.cleanup();
    }
  });
});

describe('destroy and projection snapshots (two replicas on PostgreSQL)', () => {
  let base: string;
  let schema: string;
  let homeA: ReturnType<typeof tempHome>;
  let homeB: ReturnType<typeof tempHome>;
  beforeEach(async () => {
    base = await testPostgresUrl();
    schema = freshSchemaName();
    homeA = tempHome('snap-destroy-pg-a');
    homeB = tempHome('snap-destroy-pg-b');
  });
  afterEach(async () => {
    await dropSchema(base, schema);
    homeA.cleanup();
    homeB.cleanup();
  });

  it('a running replica with its own home folds the destroy live and drops its snapshot', async () => {
    const store = withSchema(base, schema);
    const a: SnapshotHome = { home: homeA.home, store };
    const b: SnapshotHome = { home: homeB.home, store, env: { STRONGROOM_MASTER_KEY_FILE: join(homeA.home, 'master.key') } };
    const { ciphertext } = await seed(a);
    await (await openWithSnapshots(b, '1')).close();
    expect(snapshotBytes(homeB.home)).toContain(ciphertext);
    const replica = await openWithSnapshots(b, NEVER_WRITE); // restored from that snapshot, following the log
    const writer = await openWithSnapshots(a, NEVER_WRITE);
    try {
      const { position } = await writer.execute(DestroySecret, { ref: 'db/password' });
      await replica.runtime.projection.waitFor(position, 10_000);
      expect(existsSync(snapshotOf(homeB.home))).toBe(false);
      await expect(replica.execute(GetSecret, { ref: 'db/password' })).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
    } finally {
      await writer.close();
      await replica.close();
    }
  });
});
