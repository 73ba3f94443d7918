import { Strongroom } from '../../src/bootstrap/strongroom.js';
import { resolveOptions } from '../../src/config/options.js';
import type { Caller } from '../../src/kernel/caller.js';
import { IDEMPOTENCY_SCHEMA_VERSIONS, IdempotencyLog, idempotencyMacKey } from '../../src/kernel/idempotency.js';
import { RotateSecret } from '../../src/secrets/commands/rotate-secret/rotate-secret.use-case.js';
import { StoreSecret } from '../../src/secrets/commands/store-secret/store-secret.use-case.js';
import { createLogger } from '../../src/shared/logger.js';
import { codeOf } from '../support/code-of.js';
import { dropSchema, freshSchemaName, testPostgresUrl, withSchema } from '../support/pg-test-db.js';
import { tempHome } from '../support/temp-home.js';
import { TestClock } from '../support/test-clock.js';

/**
 * Idempotency keys across replicas (src/kernel/idempotency.ts): the key's stream in the log is the lock,
 * so deliveries of one key racing on two replicas act once, on a shared SQLite file and on PostgreSQL;
 * a claim whose process stopped is taken over when the command never acted, and answered
 * IDEMPOTENCY_KEY_IN_DOUBT (never a second action) when it did.
 */
const quiet = createLogger({ silent: true });
const open = (home: string, clock: TestClock, store?: string): Promise<Strongroom> =>
  Strongroom.open(resolveOptions({ env: { STRONGROOM_LIFECYCLE_INTERVAL_MS: '0' }, home, ...(store !== undefined && { store }) }), {
    initialiseIfEmpty: true,
    interface: 'library',
    logger: quiet,
    clock,
  });
const keyed = (s: Strongroom, idempotencyKey: string): Caller => ({ ...s.caller(), idempotencyKey });

const raceOnReplicas = async (a: Strongroom, b: Strongroom): Promise<void> => {
  const stored = await a.execute(StoreSecret, { name: 'race/db', value: 'v1' });
  await b.runtime.writePath.catchUp();
  // Six deliveries of one rotation, three per replica, all at once.
  const deliveries = [a, b, a, b, a, b].map((r) => r.execute(RotateSecret, { ref: 'race/db', value: 'v2' }, keyed(r, 'rotate-race-1')));
  const results = await Promise.all(deliveries);
  expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
  expect(results[0]).toMatchObject({ id: stored.id, version: 2 });
  const events = await a.runtime.store.readAll({ maxCount: 10_000 });
  expect(events.filter((e) => e.type === 'SecretRotated')).toHaveLength(1);
  expect(events.filter((e) => e.type === 'IdempotentCommandCompleted')).toHaveLength(1);
  // The replicas' claims met at the stream's revision: one claim, one record.
  expect(events.filter((e) => e.type === 'IdempotentCommandStarted')).toHaveLength(1);
};

describe('idempotency keys across replicas', () => {
  it('two processes on one SQLite file: six racing deliveries rotate once and all answer the same', async () => {
    const { home, cleanup } = tempHome('idem-sqlite');
    const clock = new TestClock();
    const a = await open(home, clock);
    const b = await open(home, clock);
    try {
      await raceOnReplicas(a, b);
    } finally {
      await a.close();
      await b.close();
      cleanup();
    }
  });

  it('two replicas on PostgreSQL: six racing deliveries rotate once and all answer the same', async () => {
    const base = await testPostgresUrl();
    const schema = freshSchemaName();
    const { home, cleanup } = tempHome('idem-pg');
    const clock = new TestClock();
    const a = await open(home, clock, withSchema(base, schema));
    const b = await open(home, clock, withSchema(base, schema));
    try {
      await raceOnReplicas(a, b);
    } finally {
      await a.close();
      await b.close();
      await dropSchema(base, schema);
      cleanup();
    }
  });
});

describe('a claim whose process stopped', () => {
  const { home, cleanup } = tempHome('idem-lapsed');
  const clock = new TestClock();
  let s: Strongroom;
  const LEASE_MS = 60_000;
  /** Two deliveries' views of the same log, as two replicas would have; time from the test's clock. */
  const replica = (): IdempotencyLog => new IdempotencyLog(s.runtime.store, s.runtime.writePath, { now: () => clock.now().getTime(), leaseMs: LEASE_MS, macKey: idempotencyMacKey(s.runtime.keyring.auditKey) });
  const never = new Promise<never>(() => undefined);

  beforeAll(async () => {
    s = await open(home, clock);
  });
  afterAll(async () => {
    await s.close();
    cleanup();
  });

  it('is waited for while its lease holds, then taken over when the command never acted', async () => {
    const caller = keyed(s, 'lapsed-never-acted');
    const input = { name: 'lapsed/a', value: 'x' };
    // The first delivery claims the key, then its process hangs before acting (it never answers).
    void replica().once('StoreSecret', input, caller, 'lapsed-never-acted', () => never);
    await new Promise((r) => setTimeout(r, 50));

    let answered = false;
    const second = replica()
      .once('StoreSecret', input, caller, 'lapsed-never-acted', () => s.execute(StoreSecret, input))
      .finally(() => (answered = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(answered).toBe(false); // the lease holds: it waits instead of acting beside the first

    clock.advanceDays(1);
    const result = await second;
    expect(result).toMatchObject({ version: 1 });
    const stream = (await s.runtime.store.readAll({ maxCount: 10_000 })).filter((e) => e.type.startsWith('IdempotentCommand'));
    expect(stream.map((e) => e.type)).toEqual(['IdempotentCommandStarted', 'IdempotentCommandStarted', 'IdempotentCommandCompleted']);
  });

  it('is answered IDEMPOTENCY_KEY_IN_DOUBT, never run again, when the command acted but did not record its result', async () => {
    const caller = keyed(s, 'lapsed-acted');
    const input = { name: 'lapsed/b', value: 'y' };
    // The first delivery claims, acts (writes an event carrying the key, as a command's events do), then
    // its process stops before recording its result.
    void replica().once('StoreSecret', input, caller, 'lapsed-acted', async () => {
      await s.runtime.writePath.record('probe-lapsed', [{ type: 'ProbeActed', data: {} }], { ProbeActed: 1 }, caller, false);
      return never;
    });
    await new Promise((r) => setTimeout(r, 300));
    clock.advanceDays(1);

    let ran = 0;
    const code = await codeOf(
      replica().once('StoreSecret', input, caller, 'lapsed-acted', async () => {
        ran++;
        return s.execute(StoreSecret, input);
      }),
    );
    expect(code).toBe('IDEMPOTENCY_KEY_IN_DOUBT');
    expect(ran).toBe(0);
  });

  it('a failed command releases its claim, so the retry runs at once', async () => {
    const caller = keyed(s, 'released');
    let attempts = 0;
    const failing = async (): Promise<never> => {
      attempts++;
      throw Object.assign(new Error('store away'), { code: 'STORE_UNAVAILABLE' });
    };
    await expect(replica().once('RotateSecret', { name: 'x' }, caller, 'released', failing)).rejects.toThrow('store away');
    await expect(replica().once('RotateSecret', { name: 'x' }, caller, 'released', async () => 'done')).resolves.toBe('done');
    expect(attempts).toBe(1);
    const types = (await s.runtime.store.readAll({ maxCount: 10_000 })).filter((e) => e.type.startsWith('IdempotentCommand') && e.metadata.idempotencyKey === 'released').map((e) => e.type);
    expect(types).toEqual(['IdempotentCommandStarted', 'IdempotentCommandReleased', 'IdempotentCommandStarted', 'IdempotentCommandCompleted']);
    expect(IDEMPOTENCY_SCHEMA_VERSIONS.IdempotentCommandReleased).toBe(1);
  });
});
