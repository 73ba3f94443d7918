import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretManager } from '../../src/index.js';
import { GetSecret } from '../../src/secrets/queries/get-secret/get-secret.use-case.js';
import { createLogger } from '../../src/shared/logger.js';
import { codeOf } from '../support/code-of.js';
import { tempHome } from '../support/temp-home.js';
import { TestClock } from '../support/test-clock.js';

/**
 * The life of a secret through the library on a real SQLite store, with an injected clock that the
 * tests move (never sleeps): stages and rollback, recovery windows across a restart, expiry with
 * warnings, rotation schedules and generated values, destroy with audit verify still passing.
 */
const quiet = createLogger({ silent: true });

describe('the life of a secret (library, SQLite)', () => {
  let home: string;
  let cleanup: () => void;
  let clock: TestClock;
  let manager: SecretManager;
  // Timers run only when a test asks (runLifecycleTimers), so every event below is one the test caused.
  const open = (): Promise<SecretManager> =>
    SecretManager.open({ home, initialise: true, logger: quiet, actor: 'test-suite', clock, env: { STRONGROOM_LIFECYCLE_INTERVAL_MS: '0' } });
  const types = async (m: SecretManager, ref: string): Promise<string[]> => (await m.getSecretHistory(ref)).entries.map((e) => e.type);

  beforeEach(async () => {
    ({ home, cleanup } = tempHome('lifecycle'));
    clock = new TestClock();
    manager = await open();
  });
  afterEach(async () => {
    await manager.close();
    cleanup();
  });

  it('runs a two-phase rotation: pending is visible and readable by stage, promotion makes it current, rollback restores the old value', async () => {
    const id = await manager.storeSecret('db/password', 'v1');
    const pending = await manager.putPendingVersion('db/password', 'v2');
    expect(pending.version).toBe(2);
    // Readers still get the current value; the rotator tests the pending one by stage.
    expect(await manager.getSecretByName('db/password')).toBe('v1');
    expect(await manager.getSecretByName('db/password', { stage: 'pending' })).toBe('v2');
    expect((await manager.listSecrets())[0]).toMatchObject({ id, version: 1, latestVersion: 2, stages: { current: 1, pending: 2 } });
    expect(await codeOf(manager.putPendingVersion('db/password', 'v3'))).toBe('VERSION_CONFLICT');

    expect(await manager.promoteVersion('db/password', 2)).toMatchObject({ version: 2, previousVersion: 1, stage: 'current' });
    expect(await manager.getSecretByName('db/password')).toBe('v2');
    expect(await manager.getSecretByName('db/password', { stage: 'previous' })).toBe('v1');
    expect(await manager.getSecretByName('db/password', { stage: 'pending' })).toBeNull();

    // Rollback is promoting an older version; the value comes from the log, not from memory.
    await manager.promoteVersion(id, 1);
    expect(await manager.getSecret(id)).toBe('v1');
    expect(await manager.getSecretByName('db/password', { stage: 'previous' })).toBe('v2');
    await manager.promoteVersion(id, 1, { stage: 'known-good' });
    expect(await manager.getSecretByName('db/password', { stage: 'known-good' })).toBe('v1');
    expect(await types(manager, id)).toEqual(['SecretStored', 'SecretVersionPending', 'SecretVersionPromoted', 'SecretVersionPromoted', 'SecretStageMoved']);
  });

  it('cancels a pending version: it stays in history, never current', async () => {
    await manager.storeSecret('api/key', 'v1');
    await manager.putPendingVersion('api/key', { generate: { length: 24, charset: 'hex' } });
    const pending = await manager.getSecretByName('api/key', { stage: 'pending' });
    expect(pending).toMatch(/^[0-9a-f]{24}$/);
    await manager.cancelPending('api/key');
    expect(await manager.getSecretByName('api/key', { stage: 'pending' })).toBeNull();
    expect(await manager.getSecretByName('api/key', { version: 2 })).toBe(pending);
    expect(await manager.getSecretByName('api/key')).toBe('v1');
  });

  it('changes metadata and tags without a new version, and lists by prefix, tag, limit and a stable cursor', async () => {
    for (const name of ['app/a', 'app/b', 'app/c', 'app/d', 'other/x']) await manager.storeSecret(name, `value-${name}`, {}, { tags: { team: name.startsWith('app/a') || name === 'app/c' ? 'pay' : 'ops' } });
    await manager.updateSecretMetadata('app/d', { tags: { team: 'pay' }, metadata: { owner: 'ana' } });
    expect((await manager.listSecrets({ prefix: 'app/d' }))[0]).toMatchObject({ version: 1, tags: { team: 'pay' }, metadata: { owner: 'ana' } });
    expect((await manager.listSecrets({ tag: 'team=pay' })).map((s) => s.name)).toEqual(['app/a', 'app/c', 'app/d']);
    expect((await manager.listSecrets({ prefix: 'app/', tag: ['team=ops'] })).map((s) => s.name)).toEqual(['app/b']);

    const first = await manager.listSecretsPage({ prefix: 'app/', limit: 2 });
    expect(first.secrets.map((s) => s.name)).toEqual(['app/a', 'app/b']);
    expect(first.nextCursor).not.toBeNull();
    // The cursor is the last name of the page: deleting it or adding before it changes nothing after it.
    await manager.deleteSecretWithResult('app/b', { force: true });
    await manager.storeSecret('app/0', 'early');
    const second = await manager.listSecretsPage({ prefix: 'app/', limit: 2, cursor: first.nextCursor as string });
    expect(second.secrets.map((s) => s.name)).toEqual(['app/c', 'app/d']);
    expect(second.nextCursor).toBeNull();
    expect(await codeOf(manager.listSecretsPage({ cursor: 'not a cursor!' }))).toBe('INVALID_INPUT');
    expect(await codeOf(manager.listSecretsPage({ limit: 0 }))).toBe('INVALID_INPUT');
    expect(await codeOf(manager.listSecrets({ tag: 'no-equals' }))).toBe('INVALID_INPUT');
  });

  it('keeps a deleted secret for its recovery window, across a restart, then purges it exactly once', async () => {
    const id = await manager.storeSecret('svc/token', 'keep-me');
    const deleted = await manager.deleteSecretWithResult('svc/token', { recoveryDays: 3 });
    expect(deleted.purgeAt).toBe(clock.inDays(3));
    expect((await manager.listSecrets())[0]).toMatchObject({ id, status: 'deleted', purgeAt: clock.inDays(3) });
    // The library answers "no such secret" as null (the seed's API), the other interfaces SECRET_DELETED.
    expect(await manager.getSecret(id)).toBeNull();
    expect(await codeOf(manager.execute(GetSecret, { ref: id }))).toBe('SECRET_DELETED');
    expect(await codeOf(manager.storeSecret('svc/token', 'other'))).toBe('SECRET_NAME_CONFLICT');

    // Restart in the middle of the window: the window is in the log, so it is still there.
    await manager.close();
    clock.advanceDays(2);
    manager = await open();
    expect((await manager.listSecrets())[0]).toMatchObject({ status: 'deleted' });
    await manager.restoreSecret(id);
    expect(await manager.getSecret(id)).toBe('keep-me');

    await manager.deleteSecret(id, { recoveryDays: 1 });
    clock.advanceDays(1);
    expect(await codeOf(manager.restoreSecret(id))).toBe('SECRET_NOT_FOUND');
    await manager.runLifecycleTimers();
    await manager.runLifecycleTimers();
    const history = await types(manager, id);
    expect(history.filter((t) => t === 'SecretPurged')).toHaveLength(1);
    expect(history.slice(-2)).toEqual(['SecretDeleted', 'SecretPurged']);
    expect(history.filter((t) => t === 'SecretPurged')).toHaveLength(1);
    expect(await manager.listSecrets()).toEqual([]);
    expect(typeof (await manager.storeSecret('svc/token', 'new'))).toBe('string');
  });

  it('a restart after the window has ended purges at start-up (downtime is caught up)', async () => {
    const id = await manager.storeSecret('svc/old', 'x');
    await manager.deleteSecret(id, { recoveryDays: 1 });
    await manager.close();
    clock.advanceDays(5);
    manager = await SecretManager.open({ home, logger: quiet, clock });
    expect((await types(manager, id)).at(-1)).toBe('SecretPurged');
  });

  it('warns before an expiry at each lead time, expires once, then answers SECRET_EXPIRED and lists it as expired', async () => {
    await manager.close();
    manager = await SecretManager.open({ home, logger: quiet, clock, env: { STRONGROOM_LIFECYCLE_INTERVAL_MS: '0', STRONGROOM_EXPIRY_WARNINGS: '14d,3d' } });
    const id = await manager.storeSecret('cert/key', 'pem', {}, { ttl: '20d' });
    expect((await manager.listSecrets())[0]).toMatchObject({ expiresAt: clock.inDays(20), status: 'active' });
    clock.advanceDays(7);
    await manager.runLifecycleTimers();
    clock.advanceDays(10);
    await manager.runLifecycleTimers();
    await manager.runLifecycleTimers();
    expect(await manager.getSecret(id)).toBe('pem');
    clock.advanceDays(3);
    // Refused by the clock before any timer recorded the expiry.
    expect(await codeOf(manager.getSecret(id))).toBe('SECRET_EXPIRED');
    await manager.runLifecycleTimers();
    expect((await manager.listSecrets())[0]).toMatchObject({ status: 'expired' });
    const trail = (await manager.getAuditTrail({ ref: 'cert/key' })).filter((e) => e.type.startsWith('SecretExpir'));
    expect(trail.map((e) => e.type)).toEqual(['SecretExpiring', 'SecretExpiring', 'SecretExpired']);
    // A new expiry brings it back.
    await manager.updateSecretMetadata(id, { ttl: '30d' });
    expect(await manager.getSecret(id)).toBe('pem');
  });

  it('records SecretRotationDue once per due time, and rotates by itself with a generated value when asked', async () => {
    await manager.storeSecret('ext/api', 'v1', {}, { rotateEvery: '30d' });
    await manager.storeSecret('int/pw', 'v1', {}, { rotateEvery: '30d', rotationGenerator: { length: 40, charset: 'alphanumeric' } });
    clock.advanceDays(29);
    expect((await manager.getRotationStatus({ withinDays: 7 })).upcoming.map((e) => e.name)).toEqual(['ext/api', 'int/pw']);
    clock.advanceDays(2);
    expect((await manager.getRotationStatus()).overdue.map((e) => e.name)).toEqual(['ext/api', 'int/pw']);
    await manager.runLifecycleTimers();
    await manager.runLifecycleTimers();
    expect((await types(manager, 'ext/api')).filter((t) => t === 'SecretRotationDue')).toHaveLength(1);
    const generated = await manager.getSecretByName('int/pw');
    expect(generated).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(await types(manager, 'int/pw')).toEqual(['SecretStored', 'SecretRotated']);
    // An external rotator then rotates: the next due time moves.
    await manager.rotateSecret('ext/api', 'v2');
    expect((await manager.getRotationStatus()).overdue.map((e) => e.name)).toEqual([]);
  });

  it('rotates with a generated value that the rotation itself never returns', async () => {
    await manager.storeSecret('gen/pw', 'v1');
    const result = await manager.rotateSecret('gen/pw', { generate: { length: 16, charset: 'numeric' } });
    expect(JSON.stringify(result)).not.toMatch(/\d{16}/);
    expect(await manager.getSecretByName('gen/pw')).toMatch(/^\d{16}$/);
    expect(await codeOf(manager.rotateSecret('gen/pw', { generate: { length: 3 } }))).toBe('INVALID_INPUT');
  });

  it('destroys versions so that their ciphertext is gone from the store file while audit verify passes; tampering stays detectable', async () => {
    const id = await manager.storeSecret('old/key', 'first-value');
    await manager.rotateSecret(id, 'second-value');
    await manager.rotateSecret(id, 'third-value');
    await manager.rotateKey(); // a re-encryption is one more copy of version 3's ciphertext
    const readCiphertexts = (): string[] => {
      const db = new Database(join(home, 'strongroom.db'), { readonly: true });
      try {
        return (db.prepare("SELECT data FROM events WHERE type IN ('SecretStored', 'SecretRotated', 'SecretReEncrypted')").all() as { data: string }[]).map((r) => JSON.parse(r.data).ciphertext);
      } finally {
        db.close();
      }
    };
    const ciphertexts = readCiphertexts();
    expect(ciphertexts).toHaveLength(4);
    expect(await codeOf(manager.destroySecret(id, { versions: [3] }))).toBe('VERSION_CONFLICT');
    const result = await manager.destroySecret(id, { versions: [1] });
    expect(result).toMatchObject({ versions: [1], redacted: 1, purged: false });
    expect(await codeOf(manager.getSecret(id, { version: 1 }))).toBe('VERSION_DESTROYED');
    expect(await manager.getSecret(id, { version: 2 })).toBe('second-value');
    expect(await manager.verifyAuditLog()).toMatchObject({ ok: true });
    // Again: nothing left to do.
    expect(await manager.destroySecret(id, { versions: [1] })).toMatchObject({ redacted: 0 });

    const whole = await manager.destroySecret('old/key');
    expect(whole).toMatchObject({ versions: [1, 2, 3], purged: true });
    expect(whole.redacted).toBe(3); // versions 2, 3 and the re-encryption of 3
    expect(await manager.verifyAuditLog()).toMatchObject({ ok: true });
    expect(await manager.getSecret(id)).toBeNull();
    expect((await manager.getSecretHistory(id)).entries.map((e) => e.type)).toContain('SecretVersionsDestroyed');
    await manager.close();

    // No byte of the store's files holds any ciphertext the secret ever had (old page images included).
    const files = ['strongroom.db', 'strongroom.db-wal'].map((f) => join(home, f)).filter((f) => existsSync(f));
    for (const file of files) for (const c of ciphertexts) expect([file, readFileSync(file).includes(Buffer.from(c))]).toEqual([file, false]);
    const db = new Database(join(home, 'strongroom.db'));
    const rows = db.prepare("SELECT position, data FROM events WHERE type IN ('SecretStored', 'SecretRotated', 'SecretReEncrypted')").all() as { position: number; data: string }[];
    expect(rows.length).toBe(4);
    for (const row of rows) expect(JSON.parse(row.data).ciphertext).toBeNull();
    // Changing a redacted payload in any other way is still detected.
    const target = rows[0] as { position: number; data: string };
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ ...JSON.parse(target.data), keyId: 'forged' }), target.position);
    db.close();
    manager = await open();
    expect(await manager.verifyAuditLog()).toMatchObject({ ok: false, firstBad: { position: target.position, problem: 'modified' } });
  });
});
