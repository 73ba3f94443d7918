import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { codeOf } from '../support/code-of.js';
import { tempHome } from '../support/temp-home.js';

const quiet = createLogger({ silent: true });
describe('SecretManager (library API)', () => {
  let home: string;
  let cleanup: () => void;
  let manager: SecretManager;

  beforeEach(async () => {
    ({ home, cleanup } = tempHome('lib'));
    manager = await SecretManager.open({ home, initialise: true, logger: quiet, actor: 'test-suite' });
  });
  afterEach(async () => {
    await manager.close();
    cleanup();
  });

  it('stores, reads by id and name, lists metadata only, deletes', async () => {
    const id = await manager.storeSecret('stripe/api-key', 'sk_live_abc', { team: 'payments' });
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(await manager.getSecret(id)).toBe('sk_live_abc');
    expect(await manager.getSecretByName('stripe/api-key')).toBe('sk_live_abc');
    const list = await manager.listSecrets();
    expect(list).toEqual([expect.objectContaining({ id, name: 'stripe/api-key', version: 1, metadata: { team: 'payments' } })]);
    expect(JSON.stringify(list)).not.toContain('sk_live_abc');
    expect(await manager.deleteSecret(id)).toBe(true);
    expect(await manager.deleteSecret(id)).toBe(false);
    expect(await manager.getSecret(id)).toBeNull();
    expect(await manager.getSecretByName('stripe/api-key')).toBeNull();
  });

  it('refuses a second live secret with the same name, allows it after a forced delete', async () => {
    const id = await manager.storeSecret('db', 'one');
    expect(await codeOf(manager.storeSecret('db', 'two'))).toBe('SECRET_NAME_CONFLICT');
    expect(await manager.getSecretByName('db')).toBe('one');
    await manager.deleteSecret(id);
    // Within the recovery window the deleted secret keeps its name.
    expect(await codeOf(manager.storeSecret('db', 'two'))).toBe('SECRET_NAME_CONFLICT');
    expect(await manager.deleteSecret(id, { force: true })).toBe(true);
    const again = await manager.storeSecret('db', 'three');
    expect(again).not.toBe(id);
    expect(await manager.getSecretByName('db')).toBe('three');
  });

  it('only one of many concurrent stores of one name wins', async () => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => manager.storeSecret('race', `v${i}`)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 'SECRET_NAME_CONFLICT')).toBe(true);
  });

  it('updates with check-and-set, keeps versions readable, rotates with history', async () => {
    const id = await manager.storeSecret('token', 'v1');
    expect((await manager.updateSecret(id, 'v2', { expectedVersion: 1 })).version).toBe(2);
    expect(await codeOf(manager.updateSecret(id, 'v3', { expectedVersion: 1 }))).toBe('VERSION_CONFLICT');
    const rotated = await manager.rotateSecret('token', 'v3');
    expect(rotated.version).toBe(3);
    expect(await manager.getSecret(id)).toBe('v3');
    expect(await manager.getSecret(id, { version: 1 })).toBe('v1');
    expect(await manager.getSecret(id, { version: 2 })).toBe('v2');
    const history = await manager.getRotationHistory('token');
    expect(history).toMatchObject({ kind: 'secret', rotations: [{ secretId: id, version: 3 }] });
    const changes = await manager.getSecretHistory(id);
    expect(changes.entries.map((e) => e.type)).toEqual(['SecretStored', 'SecretUpdated', 'SecretRotated']);
  });

  it('records every read in the audit trail, durably, with actor and interface', async () => {
    const id = await manager.storeSecret('audited', 'value-1');
    await manager.getSecret(id);
    await manager.getSecretByName('audited');
    const trail = await manager.getAuditTrail({ ref: id });
    expect(trail.map((e) => e.type)).toEqual(['SecretStored', 'SecretAccessed', 'SecretAccessed']);
    expect(trail[1]).toMatchObject({ actor: 'test-suite', interface: 'library', secretId: id, version: 1 });
    expect(JSON.stringify(await manager.getAuditTrail())).not.toContain('value-1');
  });

  it('rotates the data key: every secret re-encrypted, old key retired, values intact', async () => {
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => manager.storeSecret(`s${i}`, `value-${i}`)));
    const before = (await manager.listSecrets())[0]?.keyId;
    const newKeyId = await manager.rotateKey();
    expect(newKeyId).not.toBe(before);
    expect(new Set((await manager.listSecrets()).map((s) => s.keyId))).toEqual(new Set([newKeyId]));
    for (const [i, id] of ids.entries()) expect(await manager.getSecret(id)).toBe(`value-${i}`);
    const history = await manager.getRotationHistory();
    expect(history).toMatchObject({ kind: 'keys', rotations: [{ newKeyId, reEncrypted: 50, retiredKeyIds: [before], failures: [] }] });
    expect((await manager.verifyAuditLog()).ok).toBe(true);
  });

  it('rotates the master key and reopens with the new one', async () => {
    const id = await manager.storeSecret('m', 'before-master-rotation');
    const result = await manager.rotateMasterKey();
    expect(result.masterKeyId).not.toBe(result.previousMasterKeyId);
    expect(await manager.getSecret(id)).toBe('before-master-rotation');
    await manager.close();
    manager = await SecretManager.open({ home, logger: quiet });
    expect(await manager.getSecret(id)).toBe('before-master-rotation');
    const newKey = await manager.rotateKey();
    expect(newKey).toMatch(/^[0-9a-f]{32}$/);
    expect(await manager.getSecret(id)).toBe('before-master-rotation');
  });

  it('checks key age against a maximum, on an injected clock', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const { home: agedHome, cleanup: cleanAged } = tempHome('aged');
    const aged = await SecretManager.open({ home: agedHome, initialise: true, logger: quiet, clock: { now: () => new Date(now) } });
    try {
      await aged.storeSecret('aged', 'x');
      now += 30 * 86_400_000;
      expect(await aged.checkKeyAge('aged', 90)).toMatchObject({ name: 'aged', ageDays: 30, needsRotation: false });
      now += 61 * 86_400_000;
      expect(await aged.checkKeyAge('aged', 90)).toMatchObject({ ageDays: 91, needsRotation: true });
      await aged.rotateSecret('aged', 'y');
      expect(await aged.checkKeyAge('aged', 90)).toMatchObject({ ageDays: 0, needsRotation: false, lastRotatedAt: new Date(now).toISOString() });
      expect(await codeOf(aged.checkKeyAge('missing', 1))).toBe('SECRET_NOT_FOUND');
      expect(await codeOf(aged.checkKeyAge('aged', -1))).toBe('INVALID_INPUT');
    } finally {
      await aged.close();
      cleanAged();
    }
  });

  it('dispatches manageSecrets by name and refuses unknown operations', async () => {
    const id = (await manager.manageSecrets('storeSecret', ['via-manage', 'abc'])) as string;
    expect(await manager.manageSecrets('getSecret', { id })).toBe('abc');
    expect(await manager.manageSecrets('getSecretByName', ['via-manage'])).toBe('abc');
    expect(await manager.manageSecrets('listSecrets')).toHaveLength(1);
    expect(await codeOf(manager.manageSecrets('dropDatabase', []))).toBe('UNKNOWN_OPERATION');
    expect(await codeOf(manager.manageSecrets('__proto__', []))).toBe('UNKNOWN_OPERATION');
    expect(await codeOf(manager.manageSecrets('storeSecret', ['n', 42]))).toBe('INVALID_INPUT');
  });

  it('encrypts configuration fields and resolves them and ${{ secrets.NAME }} back', async () => {
    await manager.storeSecret('SMTP_PASSWORD', 'mail-pass');
    const config = { db: { host: 'localhost', password: 'db-pass' }, smtp: { url: 'smtp://u:${{ secrets.SMTP_PASSWORD }}@host' } };
    const encrypted = await manager.encryptConfiguration(config, ['db.password']);
    expect(config.db.password).toBe('db-pass');
    expect(encrypted.db.password).toMatch(/^encrypted:[0-9a-f]{32}$/);
    expect(JSON.stringify(encrypted)).not.toContain('db-pass');
    const resolved = await manager.resolveConfiguration(encrypted);
    expect(resolved).toEqual({ db: { host: 'localhost', password: 'db-pass' }, smtp: { url: 'smtp://u:mail-pass@host' } });
    await expect(manager.resolveConfiguration({ x: '${{ secrets.NOPE }}' })).rejects.toThrow('${{ secrets.NOPE }}');
    const unknown = `encrypted:${'0'.repeat(32)}`;
    await expect(manager.resolveConfiguration({ x: unknown })).rejects.toThrow(unknown);
    expect(await codeOf(manager.encryptConfiguration({ port: 5432 }, ['port']))).toBe('INVALID_INPUT');
  });

  it('rejects bad input with clear codes and loses nothing', async () => {
    const id = await manager.storeSecret('keep', 'kept');
    expect(await codeOf(manager.storeSecret('bad', 42 as unknown as string))).toBe('INVALID_INPUT');
    expect(await codeOf(manager.storeSecret('', 'x'))).toBe('INVALID_INPUT');
    expect(await codeOf(manager.storeSecret('a\u0007b', 'x'))).toBe('INVALID_INPUT');
    expect(await codeOf(manager.storeSecret('big', 'x'.repeat(64 * 1024 + 1)))).toBe('VALUE_TOO_LARGE');
    expect(await codeOf(manager.getSecret('not-an-id'))).toBe('INVALID_INPUT');
    expect(await codeOf(manager.getSecret(id.toUpperCase()))).toBe('INVALID_INPUT');
    expect(await manager.listSecrets()).toHaveLength(1);
    expect(await manager.getSecret(id)).toBe('kept');
  });

  it('keeps values byte-exact: a PEM key keeps its final newline, bytes stay bytes', async () => {
    const pem = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQyNTUxOQAAACB\n-----END OPENSSH PRIVATE KEY-----\n';
    await manager.storeSecret('ssh/deploy-key', pem);
    expect(await manager.getSecretByName('ssh/deploy-key')).toBe(pem);
    const der = new Uint8Array([0x30, 0x82, 0x01, 0x0a, 0x00, 0xff, 0xfe, 0x0a]);
    const id = await manager.storeSecret('tls/cert.der', der);
    expect(await manager.getSecretBytes(id)).toEqual(der);
    // Bytes are never decoded lossily into a string.
    expect(await codeOf(manager.getSecret(id))).toBe('INVALID_INPUT');
    expect((await manager.listSecrets()).find((s) => s.id === id)).toMatchObject({ binary: true });
    expect(await manager.getSecretBytes('ssh/deploy-key')).toEqual(new Uint8Array(Buffer.from(pem)));
    expect(await codeOf(manager.storeSecret('lone', 'a\ud800b'))).toBe('INVALID_INPUT');
  });

  it('never turns a mistyped home into an empty store (issue: /srv/app/strongrom)', async () => {
    const typo = `${home}-typo`;
    expect(await codeOf(SecretManager.open({ home: typo, logger: quiet }))).toBe('NOT_INITIALISED');
    const { existsSync } = await import('node:fs');
    expect(existsSync(typo)).toBe(false);
  });

  it('refuses names another interface could not address unambiguously', async () => {
    for (const name of ['team/../prod-db', 'a//b', './x', 'a b']) expect(await codeOf(manager.storeSecret(name, 'v'))).toBe('INVALID_INPUT');
    expect(await manager.listSecrets()).toHaveLength(0);
  });
});
