import { SecretManager } from '../../src/index.js';
import { StoreSecret } from '../../src/secrets/commands/store-secret/store-secret.use-case.js';
import { createLogger } from '../../src/shared/logger.js';
import { dropSchema, freshSchemaName, testPostgresUrl, withClient, withSchema } from '../support/pg-test-db.js';
import { tempHome } from '../support/temp-home.js';
import { TestClock } from '../support/test-clock.js';

/**
 * Lifecycle timers across replicas on one real PostgreSQL store: every replica may look for due work at
 * the same moment, and each event is still recorded exactly once (the slot's expected revision). Also on
 * PostgreSQL: a recovery window survives a restart, and destroy redacts rows while audit verify passes.
 */
const quiet = createLogger({ silent: true });

describe('lifecycle on PostgreSQL replicas', () => {
  let base: string;
  let schema: string;
  let store: string;
  let home: string;
  let cleanup: () => void;
  const clock = new TestClock();
  const replicas: SecretManager[] = [];
  const open = async (initialise = false): Promise<SecretManager> => {
    const m = await SecretManager.open({ home, store, initialise, logger: quiet, clock, env: { STRONGROOM_LIFECYCLE_INTERVAL_MS: '0', STRONGROOM_EXPIRY_WARNINGS: '' } });
    replicas.push(m);
    return m;
  };
  const count = (type: string): Promise<number> =>
    withClient(base, async (c) => Number((await c.query(`SELECT count(*)::int AS n FROM "${schema}".events WHERE type = $1`, [type])).rows[0].n));

  beforeAll(async () => {
    base = await testPostgresUrl();
    schema = freshSchemaName();
    store = withSchema(base, schema);
    ({ home, cleanup } = tempHome('lifecycle-pg'));
  });
  afterAll(async () => {
    for (const m of replicas) await m.close().catch(() => undefined);
    await dropSchema(base, schema);
    cleanup();
  });

  it('replicas racing to expire, purge and mark rotations due record each event once', async () => {
    const a = await open(true);
    const b = await open();
    const c = await open();
    const expiring = await a.execute(StoreSecret, { name: 'race/cert', value: 'pem', ttl: '1d' });
    await a.execute(StoreSecret, { name: 'race/api', value: 'k', rotateEvery: '1d' });
    const doomed = await a.execute(StoreSecret, { name: 'race/old', value: 'x' });
    await a.deleteSecret(doomed.id, { recoveryDays: 1 });
    // Every replica has seen every write before the race.
    const head = (await a.listSecretsPage()).secrets.length;
    for (const r of [b, c]) await r.listSecrets({ minPosition: expiring.position + 4 });
    expect(head).toBe(3);

    clock.advanceDays(2);
    await Promise.all([a, b, c, a, b, c].map((r) => r.runLifecycleTimers()));
    expect(await count('SecretExpired')).toBe(1);
    expect(await count('SecretPurged')).toBe(1);
    expect(await count('SecretRotationDue')).toBe(1);
    await Promise.all([a.runLifecycleTimers(), b.runLifecycleTimers()]);
    expect(await count('SecretExpired')).toBe(1);
  });

  it('keeps a recovery window across a restart of every replica', async () => {
    const a = await open();
    const id = await a.storeSecret('window/keep', 'v');
    await a.deleteSecret(id, { recoveryDays: 7 });
    for (const m of replicas.splice(0)) await m.close();
    clock.advanceDays(3);
    const again = await open();
    expect((await again.listSecrets({ prefix: 'window/' }))[0]).toMatchObject({ status: 'deleted' });
    await again.restoreSecret(id);
    expect(await again.getSecret(id)).toBe('v');
  });

  it('destroys by redacting rows in PostgreSQL; audit verify passes on every replica', async () => {
    const a = replicas[0] ?? (await open());
    const id = await a.storeSecret('pg/destroy', 'first');
    await a.rotateSecret(id, 'second');
    expect(await a.destroySecret(id, { versions: [1] })).toMatchObject({ redacted: 1 });
    const rows = await withClient(base, async (c) => (await c.query(`SELECT data FROM "${schema}".events WHERE type = 'SecretStored' AND data LIKE $1`, [`%${id}%`])).rows);
    expect(JSON.parse(rows[0].data).ciphertext).toBeNull();
    const b = await open();
    expect(await b.verifyAuditLog()).toMatchObject({ ok: true });
    expect(await b.getSecret(id)).toBe('second');
  });
});
