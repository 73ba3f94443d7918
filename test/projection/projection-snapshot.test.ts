import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { Strongroom } from '../../src/bootstrap/strongroom.js';
import { resolveOptions } from '../../src/config/options.js';
import { snapshotKey, SNAPSHOT_FILE, writeProjectionSnapshot } from '../../src/projection/projection-snapshot.js';
import { DeleteSecret } from '../../src/secrets/commands/delete-secret/delete-secret.use-case.js';
import { StoreSecret } from '../../src/secrets/commands/store-secret/store-secret.use-case.js';
import { GetSecret } from '../../src/secrets/queries/get-secret/get-secret.use-case.js';
import { ListSecrets } from '../../src/secrets/queries/list-secrets/list-secrets.use-case.js';
import { tempHome } from '../support/temp-home.js';

/**
 * Projection snapshots: written at shutdown, authenticated under a key derived from the audit key,
 * checked against the log at start-up, and dropped for a rebuild from the log whenever anything is off.
 */

const SECRETS = 40;
/** A threshold no test process reaches: the snapshot is read at start-up but not rewritten at shutdown. */
const NEVER_WRITE = '1000000000';
const valueOf = (i: number): string => `plaintext-value-${i}-${'x'.repeat(8)}`;

describe('projection snapshots', () => {
  let home: string;
  let cleanup: () => void;
  let logs: string[];
  beforeEach(() => {
    ({ home, cleanup } = tempHome('snapshot'));
    logs = [];
  });
  afterEach(() => cleanup());

  const open = (minEvents = '1'): Promise<Strongroom> =>
    Strongroom.open(resolveOptions({ env: { STRONGROOM_SNAPSHOT_MIN_EVENTS: minEvents }, home }), {
      initialiseIfEmpty: true,
      interface: 'library',
      logger: pino({ level: 'warn' }, { write: (line: string) => void logs.push(line) }),
    });
  const snapshotPath = (): string => join(home, SNAPSHOT_FILE);
  const reasons = (): string[] => logs.map((l) => (JSON.parse(l) as { reason?: string; msg: string })).filter((l) => l.msg.includes('snapshot')).map((l) => l.reason ?? '');

  /** Every secret reads back its own value (an audited read through the whole pipeline). */
  const expectAllReadable = async (s: Strongroom, count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      const read = await s.execute(GetSecret, { ref: `s-${i}` });
      expect(read.bytes.toString('utf8')).toBe(valueOf(i));
    }
  };

  /** Runs `body` on a process that never writes a snapshot by the threshold, then closes it. */
  const withOpen = async <T>(body: (s: Strongroom) => T | Promise<T>): Promise<T> => {
    const s = await open(NEVER_WRITE);
    try {
      return await body(s);
    } finally {
      await s.close();
    }
  };

  /**
   * After a start that refused the snapshot: the next start (threshold never reached either) uses the
   * fresh one the first wrote at shutdown, without a warning: it folds keys, tokens and policies (a
   * handful) from the log, not the 40 stores.
   */
  const expectReplacedAtShutdown = async (): Promise<void> => {
    logs = [];
    await withOpen(async (s) => {
      expect(s.runtime.projection.foldedSinceStart).toBeLessThan(SECRETS / 2);
      await expectAllReadable(s, 3);
    });
    expect(reasons()).toEqual([]);
  };

  /** A snapshot text with its body edited and its MAC trailer recomputed under `key` (a well-formed file of another format or version). */
  const remac = (text: string, key: Buffer): string => {
    const body = text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1);
    return body + JSON.stringify({ mac: createHmac('sha256', key).update(body).digest('hex') }) + '\n';
  };

  const seed = async (count = SECRETS, minEvents = '1'): Promise<void> => {
    const s = await open(minEvents);
    try {
      for (let i = 0; i < count; i++) await s.execute(StoreSecret, { name: `s-${i}`, value: valueOf(i) });
    } finally {
      await s.close();
    }
  };

  it('is written at shutdown, 0600, holding ciphertext but no plaintext value', async () => {
    await seed();
    const text = readFileSync(snapshotPath(), 'utf8');
    expect(statSync(snapshotPath()).mode & 0o777).toBe(0o600);
    expect(text).toContain('"s-7"');
    for (let i = 0; i < SECRETS; i++) expect(text).not.toContain(valueOf(i));
    expect(text).toMatch(/"gAAAAA[A-Za-z0-9_-]+=*"/); // Fernet tokens only
  });

  it('start-up restores the slots from it and folds only what came after, with the same answers', async () => {
    await seed();
    // More secrets and a deletion after the snapshot, by a process that writes no snapshot of its own.
    const later = await open(NEVER_WRITE);
    await later.execute(StoreSecret, { name: `s-${SECRETS}`, value: valueOf(SECRETS) });
    await later.execute(DeleteSecret, { ref: 's-0', recoveryDays: 0 });
    await later.close();
    const s = await open();
    try {
      // Keys, tokens and policies (a handful) plus the two events after the snapshot: not the 40 stores.
      expect(s.runtime.projection.foldedSinceStart).toBeLessThan(SECRETS / 2);
      await expect(s.execute(GetSecret, { ref: 's-0' })).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
      for (let i = 1; i <= SECRETS; i++) expect((await s.execute(GetSecret, { ref: `s-${i}` })).bytes.toString('utf8')).toBe(valueOf(i));
      const listed = await s.execute(ListSecrets, {});
      expect(listed.secrets.map((x: { name: string }) => x.name).sort()).toEqual(Array.from({ length: SECRETS }, (_, i) => `s-${i + 1}`).sort());
    } finally {
      await s.close();
    }
    expect(reasons()).toEqual([]);
  });

  it('a tampered snapshot fails its MAC and the projection is rebuilt from the log', async () => {
    await seed();
    const original = readFileSync(snapshotPath(), 'utf8');
    // Swap two secrets' ciphertexts: well-formed, plausible, and exactly what the MAC is for.
    const tokens = [...original.matchAll(/"(gAAAAA[A-Za-z0-9_-]+=*)"/g)].map((m) => m[1] as string);
    const [a, b] = [tokens[0] as string, tokens[1] as string];
    writeFileSync(snapshotPath(), original.replace(a, '\u0000').replace(b, a).replace('\u0000', b), { mode: 0o600 });
    const s = await open(NEVER_WRITE);
    try {
      expect(s.runtime.projection.foldedSinceStart).toBeGreaterThanOrEqual(SECRETS);
      await expectAllReadable(s, SECRETS);
      // Removed at once: it can never become usable.
      expect(existsSync(snapshotPath())).toBe(false);
    } finally {
      await s.close();
    }
    expect(reasons()).toEqual(['mac']);
    await expectReplacedAtShutdown();
  });

  it('a truncated or garbled snapshot is rebuilt from the log', async () => {
    await seed();
    const original = readFileSync(snapshotPath());
    for (const [bytes, reason] of [
      [original.subarray(0, original.length >> 1), 'malformed'],
      [Buffer.from('not a snapshot\n'), 'malformed'],
      [Buffer.alloc(0), 'malformed'],
    ] as const) {
      logs = [];
      writeFileSync(snapshotPath(), bytes, { mode: 0o600 });
      const s = await open(NEVER_WRITE);
      try {
        await expectAllReadable(s, 3);
      } finally {
        await s.close();
      }
      expect(reasons()).toEqual([reason]);
      await expectReplacedAtShutdown();
    }
  });

  it('a snapshot of another format or version is removed and replaced by the process that folded the whole log', async () => {
    await seed();
    const original = readFileSync(snapshotPath(), 'utf8');
    for (const [edit, reason] of [
      [(text: string) => text.replace(/"format":"[^"]*"/, '"format":"strongroom-projection-snapshot/1"'), 'format'],
      [(text: string) => text.replace(/"version":"[^"]*"/, '"version":"0.0.0-old"'), 'version'],
    ] as const) {
      logs = [];
      const key = snapshotKey((await withOpen((s) => s.runtime.keyring.auditKey)) as Buffer);
      writeFileSync(snapshotPath(), remac(edit(original), key), { mode: 0o600 });
      await withOpen(() => expect(existsSync(snapshotPath())).toBe(false));
      expect(reasons()).toEqual([reason]);
      await expectReplacedAtShutdown();
    }
  });

  it('a snapshot authenticated with the right key but not of this log (position or hash off) is refused', async () => {
    await seed();
    const s = await open(NEVER_WRITE);
    const key = snapshotKey(s.runtime.keyring.auditKey);
    const real = s.runtime.projection.snapshot();
    await s.close();
    if (!real) throw new Error('expected a snapshot');
    // A stale or foreign snapshot: the right MAC key, but the hash at its position is another log's.
    writeProjectionSnapshot(snapshotPath(), key, { ...real, hash: 'f'.repeat(64) });
    const again = await open(NEVER_WRITE);
    try {
      await expectAllReadable(again, SECRETS);
    } finally {
      await again.close();
    }
    // And one beyond the head of this log.
    writeProjectionSnapshot(snapshotPath(), key, { ...real, position: real.position + 1_000 });
    const beyond = await open(NEVER_WRITE);
    await beyond.close();
    expect(reasons()).toEqual(['not-in-this-log', 'not-in-this-log']);
  });

  it('a snapshot from another home (another audit key) is refused', async () => {
    await seed();
    const other = tempHome('snapshot-other');
    try {
      const s = await Strongroom.open(resolveOptions({ env: { STRONGROOM_SNAPSHOT_MIN_EVENTS: '1' }, home: other.home }), {
        initialiseIfEmpty: true,
        interface: 'library',
        logger: pino({ level: 'silent' }),
      });
      await s.execute(StoreSecret, { name: 's-0', value: 'another value' });
      await s.close();
      writeFileSync(snapshotPath(), readFileSync(join(other.home, SNAPSHOT_FILE)), { mode: 0o600 });
    } finally {
      other.cleanup();
    }
    const s = await open(NEVER_WRITE);
    try {
      await expectAllReadable(s, SECRETS);
    } finally {
      await s.close();
    }
    expect(reasons()).toEqual(['mac']);
  });

  it('is not written by a process that folded fewer events than the threshold', async () => {
    await seed(5, '1000');
    expect(() => statSync(snapshotPath())).toThrow();
  });
});
