import { HmacChainSealer } from '../../src/audit/event-seal.js';
import { StoreSecret } from '../../src/secrets/commands/store-secret/store-secret.use-case.js';
import { GetSecret } from '../../src/secrets/queries/get-secret/get-secret.use-case.js';
import { DeleteSecret } from '../../src/secrets/commands/delete-secret/delete-secret.use-case.js';
import { SetPolicy } from '../../src/access/commands/set-policy/set-policy.use-case.js';
import { foldStateAt } from '../../src/compliance/state-at.js';
import { openEventStore } from '../../src/event-store/open-event-store.js';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { codeOf } from '../support/code-of.js';
import { dropSchema, freshSchemaName, testPostgresUrl, withSchema } from '../support/pg-test-db.js';
import { tempHome } from '../support/temp-home.js';
import { TestClock } from '../support/test-clock.js';

/**
 * Point in time through the library, on a real SQLite file and on the real PostgreSQL: the state and a
 * value as they were at a position or a time, folded from the log; the time is resolved by the
 * projection's index; historical reads are recorded as such; bad moments are refused.
 */
const quiet = createLogger({ silent: true });
const policy = { rules: [{ allow: ['read'], secrets: ['db/*'], environments: ['*'] }] };

describe.each(['sqlite', 'postgres'] as const)('point in time (library, %s)', (backend) => {
  let home: string;
  let cleanup: () => void;
  let store: string | undefined;
  let schema: string | undefined;
  let base: string;
  let clock: TestClock;
  let manager: SecretManager;
  const open = (): Promise<SecretManager> =>
    SecretManager.open({ home, ...(store !== undefined && { store }), initialise: true, logger: quiet, actor: 'auditor', clock, env: { STRONGROOM_LIFECYCLE_INTERVAL_MS: '0' } });

  beforeEach(async () => {
    ({ home, cleanup } = tempHome('pit'));
    clock = new TestClock('2026-01-01T00:00:00.000Z');
    if (backend === 'postgres') {
      base = await testPostgresUrl();
      schema = freshSchemaName();
      store = withSchema(base, schema);
    }
    manager = await open();
  });
  afterEach(async () => {
    await manager.close();
    if (schema) await dropSchema(base, schema);
    cleanup();
  });

  it('shows secrets, tokens and policies as they were at a position and at a time, and reads a past value as a recorded historical read', async () => {
    const { id, position: afterStore } = await manager.execute(StoreSecret, { name: 'db/password', value: 'v1', metadata: { owner: 'team-a' } });
    clock.advanceDays(1);
    await manager.updateSecret('db/password', 'v2');
    await manager.execute(SetPolicy, { name: 'readers', document: policy });
    const token = await manager.createToken({ principal: 'payments', policies: ['readers'] });
    clock.advanceDays(1);
    await manager.storeSecret('db/other', 'x');
    // The value as it was; by name or by id, by position or time.
    expect(await manager.getSecretByName('db/password', { at: afterStore })).toBe('v1');
    expect(await manager.getSecretByName('db/password', { at: '2026-01-02T12:00:00Z' })).toBe('v2');
    expect(await manager.getSecret(id, { at: '2026-01-02T12:00:00Z', version: 1 })).toBe('v1');
    await manager.deleteSecret(id, { force: true });

    // Day 0 (by position): v1 only, no policy, no payments token.
    const day0 = await manager.getStateAt(afterStore);
    expect(day0.position).toBe(afterStore);
    expect(day0.secrets.map((s) => [s.name, s.version])).toEqual([['db/password', 1]]);
    expect(day0.policies).toEqual([]);
    expect(day0.tokens.map((t) => t.principal)).not.toContain('payments');
    // No value or ciphertext in the state, and no token digest.
    expect(JSON.stringify(day0)).not.toMatch(/ciphertext|tokenHash|gAAAAA/);

    // Day 1 (by time, resolved by the index): v2, the policy, the token; db/other not yet.
    const day1 = await manager.getStateAt('2026-01-02T12:00:00Z');
    expect(day1.occurredAt).toBe('2026-01-02T00:00:00.000Z');
    expect(day1.secrets.map((s) => [s.name, s.version])).toEqual([['db/password', 2]]);
    expect(day1.policies).toEqual([expect.objectContaining({ name: 'readers', version: 1, document: policy })]);
    expect(day1.tokens).toContainEqual(expect.objectContaining({ tokenId: token.tokenId, principal: 'payments', policies: ['readers'], revokedAt: null }));

    // Now: db/password is gone, db/other is there; before anything at all, nothing.
    expect((await manager.getStateAt(clock.now().toISOString())).secrets.map((s) => s.name)).toEqual(['db/other']);
    // The future has no state yet.
    expect(await codeOf(manager.getStateAt('2099-01-01T00:00:00Z'))).toBe('INVALID_INPUT');
    expect(await codeOf(manager.getStateAt(day1.position, { env: 'no-such-env' }))).toBe('ENVIRONMENT_NOT_FOUND');
    expect(await manager.getStateAt('2025-12-31T00:00:00Z')).toMatchObject({ position: 0, secrets: [], tokens: [], policies: [] });
    await manager.createEnvironment('prod');
    expect((await manager.getStateAt(day1.position, { env: 'prod' })).secrets).toEqual([]);

    // Deleted for good: its past values are as unreadable as its present one.
    expect(await codeOf(manager.execute(GetSecret, { ref: id, at: afterStore }))).toBe('SECRET_NOT_FOUND');
    expect(await manager.getSecretByName('db/password', { at: afterStore })).toBeNull();
    expect(await manager.getSecretByName('db/password')).toBeNull();
    expect(await manager.getSecretByName('db/other', { at: afterStore })).toBeNull();

    // Each historical read is recorded with the position it read as of; state reads are recorded too.
    const trail = await manager.getAuditTrail({ limit: 10_000 });
    const reads = trail.filter((e) => e.type === 'SecretAccessed');
    expect(reads).toHaveLength(3);
    const raw = await manager.getAuditTrail({ from: 0, limit: 10_000 });
    expect(raw.filter((e) => e.type === 'AuditTrailRead').length).toBeGreaterThanOrEqual(5);
  });

  it('records asOf on a historical read, and refuses a moment beyond the head, a non-time and a destroyed value', async () => {
    const { position: head } = await manager.execute(StoreSecret, { name: 'db/password', value: 'v1' });
    await manager.updateSecret('db/password', 'v2');
    expect(await codeOf(manager.getStateAt(head + 1_000))).toBe('INVALID_INPUT');
    expect(await codeOf(manager.getStateAt('yesterday'))).toBe('INVALID_INPUT');
    expect(await codeOf(manager.getStateAt(-1))).toBe('INVALID_INPUT');
    expect(await codeOf(manager.getSecretByName('db/password', { at: 'soon' }))).toBe('INVALID_INPUT');

    expect(await manager.getSecretByName('db/password', { at: head })).toBe('v1');
    await manager.getSecretByName('db/password');
    const reads = (await manager.getAuditTrail({ ref: 'db/password' })).filter((e) => e.type === 'SecretAccessed');
    expect(reads.map((r) => [r.version, r.asOf])).toEqual([
      [1, head],
      [2, undefined],
    ]);

    if (backend === 'sqlite') {
      // Destroying version 1 afterwards makes the past value unreadable too: nothing brings it back.
      await manager.destroySecret('db/password', { versions: [1] });
      expect(await codeOf(manager.getSecretByName('db/password', { at: head }))).toBe('VERSION_DESTROYED');
      expect(await manager.getSecretByName('db/password')).toBe('v2');
    }
  });

  it('closes the history of a secret deleted (until restored), deleted for good or expired, and of the future', async () => {
    const { id, position: stored } = await manager.execute(StoreSecret, { name: 'db/closed', value: 'was-readable' });
    const deleted = await manager.execute(DeleteSecret, { ref: id });
    expect(await codeOf(manager.execute(GetSecret, { ref: id, at: stored }))).toBe('SECRET_DELETED');
    // As of the deletion itself: deleted then (not "did not exist"), by id and by name.
    expect(await codeOf(manager.execute(GetSecret, { ref: id, at: deleted.position }))).toBe('SECRET_DELETED');
    expect(await codeOf(manager.execute(GetSecret, { ref: 'db/closed', at: deleted.position }))).toBe('SECRET_DELETED');
    expect(await manager.getSecret(id, { at: stored })).toBeNull();
    await manager.restoreSecret(id);
    expect(await manager.getSecret(id, { at: stored })).toBe('was-readable');

    const { id: cert, position: certStored } = await manager.execute(StoreSecret, { name: 'db/cert', value: 'pem', ttl: '1d' });
    expect(await manager.getSecret(cert, { at: certStored })).toBe('pem');
    clock.advanceDays(2);
    expect(await codeOf(manager.getSecret(cert, { at: certStored }))).toBe('SECRET_EXPIRED');
    expect(await codeOf(manager.getSecret(id, { at: '2099-01-01T00:00:00Z' }))).toBe('INVALID_INPUT');

    // A refused historical read records no access.
    const reads = (await manager.getAuditTrail({ limit: 10_000 })).filter((e) => e.type === 'SecretAccessed');
    expect(reads).toHaveLength(2);
  });

  it('folds up to a position without reading the access history', async () => {
    await manager.storeSecret('db/password', 'v1');
    for (let i = 0; i < 20; i++) await manager.getSecretByName('db/password');
    const head = (await manager.updateSecret('db/password', 'v2')).position;
    await manager.close();
    const real = await openEventStore(store ?? `sqlite:${home}/strongroom.db`, new HmacChainSealer(), quiet);
    try {
      const asked: (readonly string[] | undefined)[] = [];
      const read: Parameters<typeof foldStateAt>[0] = {
        readAll: (options) => {
          asked.push(options?.categories);
          return real.readAll(options);
        },
      };
      const state = await foldStateAt(read, head);
      expect([...state.slots.values()].map((s) => s.live?.name)).toEqual(['db/password']);
      expect(asked.length).toBeGreaterThan(0);
      for (const categories of asked) expect(categories).not.toContain('access');
      for (const categories of asked) expect(categories).toBeDefined();
    } finally {
      await real.close();
      manager = await open();
    }
  });
});
