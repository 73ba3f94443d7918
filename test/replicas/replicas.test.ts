import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropSchema, freshSchemaName, testPostgresUrl, withSchema } from '../support/pg-test-db.js';
import { tempHome } from '../support/temp-home.js';
import { call, ReplicaProcess } from './replica-process.js';

/**
 * Two `strongroom serve` processes on one PostgreSQL store, each with its own projection following the
 * log: writes on one are read on the other (read-your-writes through the position token), a key
 * rotation on one is seen by the other, two rotations at once are refused, and every read on either
 * replica is an access event in the one log, which verifies on both.
 */
const BIN = fileURLToPath(new URL('../../bin/strongroom.js', import.meta.url));

describe('two replicas on one PostgreSQL store', () => {
  let home: string;
  let cleanup: () => void;
  let store: string;
  let base: string;
  let schema: string;
  let token: string;
  let a: ReplicaProcess;
  let b: ReplicaProcess;

  beforeAll(async () => {
    ({ home, cleanup } = tempHome('replicas'));
    base = await testPostgresUrl();
    schema = freshSchemaName();
    store = withSchema(base, schema);
    execFileSync(process.execPath, [BIN, '--home', home, '--store', store, 'init', '--json'], { stdio: 'pipe' });
    token = readFileSync(join(home, 'api-token'), 'utf8').trim();
    const env = { STRONGROOM_READ_WAIT_MS: '1500' };
    [a, b] = await Promise.all([ReplicaProcess.start(home, store, env), ReplicaProcess.start(home, store, env)]);
  }, 60_000);

  afterAll(async () => {
    const codes = await Promise.all([a?.stop(), b?.stop()]);
    await dropSchema(base, schema).catch(() => undefined);
    cleanup();
    expect(codes).toEqual([0, 0]);
  }, 30_000);

  it('reads its own writes on the other replica with the position token', async () => {
    for (let i = 0; i < 25; i++) {
      const stored = await call(a.url, token, 'POST', '/v1/secrets', { name: `ryw/${i}`, value: `value-${i}` });
      expect(stored.status).toBe(201);
      expect(stored.position).toBeGreaterThan(0);
      const read = await call(b.url, token, 'GET', `/v1/secrets/ryw/${i}`, undefined, { 'x-strongroom-min-position': String(stored.position) });
      expect(read).toMatchObject({ status: 200, body: { value: `value-${i}`, name: `ryw/${i}` } });
      // And the other way round, with an update.
      const updated = await call(b.url, token, 'PUT', `/v1/secrets/ryw/${i}`, { value: `value-${i}-b`, expectedVersion: 1 });
      expect(updated.status).toBe(200);
      const again = await call(a.url, token, 'GET', `/v1/secrets/ryw/${i}`, undefined, { 'x-strongroom-min-position': String(updated.position) });
      expect(again.body).toMatchObject({ value: `value-${i}-b`, version: 2 });
    }
  }, 60_000);

  it('tokens, policies and environments made on one replica are enforced on the other; a revocation on A is a 401 on B', async () => {
    const env = await call(a.url, token, 'POST', '/v1/envs', { env: 'prod' });
    expect(env.status).toBe(201);
    const policy = await call(a.url, token, 'PUT', '/v1/policies/prod-read', { document: { rules: [{ allow: ['read'], environments: ['prod'] }] } });
    const secret = await call(a.url, token, 'POST', '/v1/envs/prod/secrets', { name: 'db', value: 'prod-db-value' });
    const created = await call(a.url, token, 'POST', '/v1/tokens', { principal: 'svc', policies: ['prod-read'] });
    expect([policy.status, secret.status, created.status]).toEqual([200, 201, 201]);
    const svc: string = created.body.token;
    const at = { 'x-strongroom-min-position': String(created.position) };
    expect((await call(b.url, svc, 'GET', '/v1/envs/prod/secrets/db', undefined, at)).body.value).toBe('prod-db-value');
    expect((await call(b.url, svc, 'GET', '/v1/secrets/ryw/1', undefined, at)).status).toBe(403);

    const revoked = await call(a.url, token, 'DELETE', `/v1/tokens/${created.body.tokenId}`);
    expect(revoked.status).toBe(200);
    const denied = await call(b.url, svc, 'GET', '/v1/envs/prod/secrets/db', undefined, { 'x-strongroom-min-position': String(revoked.position) });
    expect(denied.status).toBe(401);
    expect(denied.body.error.message).toMatch(/revoked/);
  }, 60_000);

  it('a name taken on one replica is a conflict on the other', async () => {
    const first = await call(a.url, token, 'POST', '/v1/secrets', { name: 'unique/one', value: 'x' });
    expect(first.status).toBe(201);
    const second = await call(b.url, token, 'POST', '/v1/secrets', { name: 'unique/one', value: 'y' });
    expect(second).toMatchObject({ status: 409, body: { error: { code: 'SECRET_NAME_CONFLICT' } } });
  });

  it('a read asking for a position the replica cannot reach in time fails with 503, not stale data', async () => {
    const far = await call(b.url, token, 'GET', '/v1/secrets/ryw/0', undefined, { 'x-strongroom-min-position': '999999999' });
    expect(far.status).toBe(503);
    expect(JSON.stringify(far.body)).not.toContain('value-0');
  }, 20_000);

  it('a key rotation started on one replica reaches the other; two at once are refused', async () => {
    await Promise.all(Array.from({ length: 400 }, (_, i) => call(a.url, token, 'POST', '/v1/secrets', { name: `bulk/${i}`, value: `bulk-${i}` })));
    const [ra, rb] = await Promise.all([call(a.url, token, 'POST', '/v1/keys/rotate'), call(b.url, token, 'POST', '/v1/keys/rotate')]);
    const statuses = [ra.status, rb.status].sort();
    expect(statuses).toEqual([200, 409]);
    const winner = ra.status === 200 ? ra : rb;
    const loser = ra.status === 200 ? rb : ra;
    expect(loser.body.error.code).toBe('ROTATION_IN_PROGRESS');
    const { newKeyId } = winner.body as { newKeyId: string };
    for (const replica of [a, b]) {
      const listed = await call(replica.url, token, 'GET', '/v1/secrets', undefined, { 'x-strongroom-min-position': String(winner.position) });
      const keyIds = new Set((listed.body.secrets as { keyId: string }[]).map((s) => s.keyId));
      expect(keyIds).toEqual(new Set([newKeyId]));
      const rotations = await call(replica.url, token, 'GET', '/v1/keys/rotations');
      expect(JSON.stringify(rotations.body)).toContain(newKeyId);
    }
    // New writes on the other replica use the new data key too.
    const fresh = await call(b.url, token, 'POST', '/v1/secrets', { name: 'after/rotation', value: 'new-key' });
    const read = await call(a.url, token, 'GET', '/v1/secrets/after/rotation', undefined, { 'x-strongroom-min-position': String(fresh.position) });
    expect(read.body.value).toBe('new-key');
    const listed = await call(a.url, token, 'GET', '/v1/secrets');
    expect((listed.body.secrets as { name: string; keyId: string }[]).find((s) => s.name === 'after/rotation')?.keyId).toBe(newKeyId);
  }, 120_000);

  it('reads on both replicas are all recorded, without conflicts, and the log verifies on both', async () => {
    const stored = await call(a.url, token, 'POST', '/v1/secrets', { name: 'audited/both', value: 'audited' });
    const reads = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call(i % 2 ? a.url : b.url, token, 'GET', '/v1/secrets/audited/both', undefined, { 'x-strongroom-min-position': String(stored.position) }),
      ),
    );
    expect(reads.every((r) => r.status === 200 && r.body.value === 'audited')).toBe(true);
    const id = stored.body.id as string;
    const trail = await call(a.url, token, 'GET', `/v1/audit?secret=${id}`);
    expect((trail.body.entries as { type: string }[]).filter((e) => e.type === 'SecretAccessed')).toHaveLength(40);
    for (const replica of [a, b]) expect((await call(replica.url, token, 'GET', '/v1/audit/verify')).body).toMatchObject({ ok: true });
    for (const replica of [a, b]) expect(replica.stderr).not.toContain('audited');
  }, 60_000);
});
