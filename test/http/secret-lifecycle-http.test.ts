import { dropSchema, freshSchemaName, testPostgresUrl, withSchema } from '../support/pg-test-db.js';
import { TestClock } from '../support/test-clock.js';
import { startTestServer, type ApiClient, type TestServer } from './http-harness.js';

/** Each backend: the store's environment variables, and how to drop it afterwards. */
const BACKENDS: [string, () => Promise<{ env: Record<string, string>; drop: () => Promise<void> }>][] = [
  ['SQLite', async () => ({ env: {}, drop: async () => undefined })],
  [
    'PostgreSQL',
    async () => {
      const base = await testPostgresUrl();
      const schema = freshSchemaName();
      return { env: { STRONGROOM_STORE: withSchema(base, schema) }, drop: () => dropSchema(base, schema) };
    },
  ],
];

/**
 * Every lifecycle verb over a real HTTP server (in process, real SQLite home), with an injected clock:
 * routes, status codes, refused parameters, and that no answer carries a value it should not.
 */
describe.each(BACKENDS)('the life of a secret over HTTP on %s', (_name, backend) => {
  let server: TestServer;
  let api: ApiClient;
  let drop: () => Promise<void>;
  const clock = new TestClock();

  beforeAll(async () => {
    const store = await backend();
    drop = store.drop;
    server = await startTestServer({ ...store.env, STRONGROOM_LIFECYCLE_INTERVAL_MS: '0', STRONGROOM_EXPIRY_WARNINGS: '3d' }, clock);
    api = server.client;
  });
  afterAll(async () => {
    await server.stop();
    await drop();
  });

  it('puts, reads by stage, promotes, rolls back and cancels versions', async () => {
    expect((await api.post('/v1/secrets', { name: 'svc/db/password', value: 'v1', tags: { team: 'pay' } })).status).toBe(201);
    const pending = await api.post('/v1/secrets/svc/db/password/pending', { value: 'v2' });
    expect(pending.status).toBe(201);
    expect(pending.json).toMatchObject({ version: 2 });
    expect((await api.get('/v1/secrets/svc/db/password')).json).toMatchObject({ value: 'v1', version: 1, stages: ['current'] });
    expect((await api.get('/v1/secrets/svc/db/password?stage=pending')).json).toMatchObject({ value: 'v2', version: 2, stages: ['pending'] });
    expect((await api.get('/v1/secrets/svc/db/password?stage=pending&version=2')).status).toBe(400);
    expect((await api.get('/v1/secrets/svc/db/password?stage=Bad!')).status).toBe(400);

    const promoted = await api.post('/v1/secrets/svc/db/password/promote', { version: 2 });
    expect(promoted.status).toBe(200);
    expect(promoted.json).toMatchObject({ version: 2, previousVersion: 1, stage: 'current' });
    expect(promoted.headers.get('x-strongroom-position')).toBe(String(promoted.json.position));
    expect((await api.get('/v1/secrets/svc/db/password?stage=previous')).json.value).toBe('v1');
    expect((await api.post('/v1/secrets/svc/db/password/promote', { version: 1 })).status).toBe(200);
    expect((await api.get('/v1/secrets/svc/db/password')).json.value).toBe('v1');

    expect((await api.post('/v1/secrets/svc/db/password/pending', { generate: { length: 12, charset: 'hex' } })).json.version).toBe(3);
    expect((await api.post('/v1/secrets/svc/db/password/pending', { value: 'again' })).json.error.code).toBe('VERSION_CONFLICT');
    expect((await api.post('/v1/secrets/svc/db/password/unstage', { stage: 'pending' })).status).toBe(200);
    expect((await api.get('/v1/secrets/svc/db/password?stage=pending')).json.error.code).toBe('SECRET_NOT_FOUND');
    expect((await api.post('/v1/secrets/svc/db/password/promote', { version: 'two' })).status).toBe(400);
    expect((await api.post('/v1/secrets/svc/db/password/promote', { version: 2, extra: true })).status).toBe(400);
    expect((await api.post('/v1/secrets/svc/db/password/pending', { value: 'x', generate: {} })).status).toBe(400);
  });

  it('patches metadata, tags, expiry and schedule without a new version; lists by prefix, tag, limit and cursor', async () => {
    const patched = await api.request('PATCH', '/v1/secrets/svc/db/password', { body: { tags: { team: 'ops' }, metadata: { owner: 'ana' }, rotateEvery: '30d' } });
    expect(patched.status).toBe(200);
    for (const n of ['list/a', 'list/b', 'list/c']) await api.post('/v1/secrets', { name: n, value: 'x', tags: { kind: n === 'list/b' ? 'odd' : 'even' } });
    const page1 = await api.get('/v1/secrets?prefix=list/&limit=2');
    expect(page1.json.secrets.map((s: { name: string }) => s.name)).toEqual(['list/a', 'list/b']);
    const page2 = await api.get(`/v1/secrets?prefix=list/&limit=2&cursor=${page1.json.nextCursor}`);
    expect(page2.json).toMatchObject({ secrets: [expect.objectContaining({ name: 'list/c' })], nextCursor: null });
    expect((await api.get('/v1/secrets?tag=kind=even')).json.secrets.map((s: { name: string }) => s.name)).toEqual(['list/a', 'list/c']);
    const svc = (await api.get('/v1/secrets?prefix=svc/')).json.secrets[0];
    expect(svc).toMatchObject({ version: 1, tags: { team: 'ops' }, metadata: { owner: 'ana' }, rotation: { every: '30d', generated: false }, status: 'active' });
    expect(JSON.stringify(svc)).not.toMatch(/ciphertext|"v1"|"v2"/);
    expect((await api.get('/v1/secrets?limit=5000')).status).toBe(400);
    expect((await api.get('/v1/secrets?sort=name')).status).toBe(400);
    expect((await api.get('/v1/secrets?tag=a=1&tag=b=2')).status).toBe(400);
    expect((await api.get(`/v1/secrets?prefix=${'p'.repeat(300)}`)).status).toBe(400);
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect((await api.request('PATCH', '/v1/secrets/svc/db/password', { body: { tags: tooMany } })).status).toBe(400);
    expect((await api.request('PATCH', '/v1/secrets/svc/db/password', { body: { tags: { team: 7 } } })).status).toBe(400);
    expect((await api.request('PATCH', '/v1/secrets/svc/db/password', { body: { rotateEvery: 30 } })).status).toBe(400);
    expect((await api.request('PATCH', '/v1/secrets/svc/db/password', { body: {} })).json.error.code).toBe('INVALID_INPUT');
    expect((await api.request('PATCH', '/v1/secrets/svc/db/password', { body: { ttl: '3d', expiresAt: clock.inDays(9) } })).status).toBe(400);
  });

  it('deletes into a recovery window (410 while deleted), restores, and force-deletes', async () => {
    await api.post('/v1/secrets', { name: 'tmp/one', value: 'keep' });
    const deleted = await api.delete('/v1/secrets/tmp/one?recoveryDays=2');
    expect(deleted.json).toMatchObject({ purgeAt: clock.inDays(2) });
    const gone = await api.get('/v1/secrets/tmp/one');
    expect(gone.status).toBe(410);
    expect(gone.json.error.code).toBe('SECRET_DELETED');
    expect((await api.post('/v1/secrets', { name: 'tmp/one', value: 'other' })).status).toBe(409);
    expect((await api.get('/v1/secrets?prefix=tmp/')).json.secrets[0]).toMatchObject({ status: 'deleted' });
    expect((await api.post('/v1/secrets/tmp/one/restore')).status).toBe(200);
    expect((await api.get('/v1/secrets/tmp/one')).json.value).toBe('keep');
    expect((await api.delete('/v1/secrets/tmp/one?recoveryDays=31')).status).toBe(400);
    expect((await api.delete('/v1/secrets/tmp/one?force=yes')).status).toBe(400);
    expect((await api.delete('/v1/secrets/tmp/one?force=true')).json).toMatchObject({ purgeAt: null });
    expect((await api.get('/v1/secrets/tmp/one')).status).toBe(404);
  });

  it('answers 410 SECRET_EXPIRED after the expiry, and shows overdue rotations and expiring secrets', async () => {
    await api.post('/v1/secrets', { name: 'exp/cert', value: 'pem', ttl: '5d' });
    await api.post('/v1/secrets', { name: 'exp/later', value: 'pem', ttl: '400d' });
    const before = await api.get('/v1/rotation-status');
    expect(before.json.expiring).toEqual([expect.objectContaining({ name: 'exp/cert', expired: false })]);
    clock.advanceDays(5);
    expect((await api.get('/v1/rotation-status')).json.expiring).toEqual([expect.objectContaining({ name: 'exp/cert', expired: true })]);
    const expired = await api.get('/v1/secrets/exp/cert');
    expect(expired.status).toBe(410);
    expect(expired.json.error.code).toBe('SECRET_EXPIRED');
    clock.advanceDays(26);
    const status = await api.get('/v1/rotation-status');
    expect(status.status).toBe(200);
    expect(status.json.overdue.map((e: { name: string }) => e.name)).toEqual(['svc/db/password']);
    expect((await api.get('/v1/rotation-status?withinDays=x')).status).toBe(400);
  });

  it('destroys a version and then the whole secret; audit verify still passes', async () => {
    await api.post('/v1/secrets', { name: 'd/key', value: 'one' });
    await api.put('/v1/secrets/d/key', { value: 'two' });
    const destroyed = await api.post('/v1/secrets/d/key/destroy', { versions: [1] });
    expect(destroyed.status).toBe(200);
    expect(destroyed.json).toMatchObject({ versions: [1], redacted: 1, purged: false });
    const old = await api.get('/v1/secrets/d/key?version=1');
    expect(old.status).toBe(410);
    expect(old.json.error.code).toBe('VERSION_DESTROYED');
    expect((await api.post('/v1/secrets/d/key/destroy', { versions: [] })).status).toBe(400);
    expect((await api.post('/v1/secrets/d/key/destroy')).json).toMatchObject({ purged: true });
    expect((await api.get('/v1/audit/verify')).json).toMatchObject({ ok: true });
    // Nothing any response carried holds a value it should not.
    for (const e of api.exchanges) if (!(e.method === 'GET' && /\/v1\/secrets\/[^?]+(\?|$)/.test(e.path) && e.status === 200)) expect(e.text).not.toMatch(/"(one|two|keep|pem)"/);
  });

  it('asks the capabilities it names: rotate for stages, delete for restore, admin for destroy', async () => {
    await api.post('/v1/secrets', { name: 'cap/key', value: 'v1' });
    const doc = { rules: [{ allow: ['read', 'list', 'rotate', 'delete'], secrets: ['cap/**'], environments: ['*'] }] };
    expect((await api.put('/v1/policies/rotator', { document: doc })).status).toBe(200);
    const rotator = api.as((await api.post('/v1/tokens', { principal: 'rotator', policies: ['rotator'] })).json.token);
    expect((await rotator.post('/v1/secrets/cap/key/pending', { value: 'v2' })).status).toBe(201);
    expect((await rotator.post('/v1/secrets/cap/key/promote', { version: 2 })).status).toBe(200);
    expect((await rotator.request('PATCH', '/v1/secrets/cap/key', { body: { tags: { a: 'b' } } })).status).toBe(403);
    expect((await rotator.delete('/v1/secrets/cap/key')).status).toBe(200);
    expect((await rotator.post('/v1/secrets/cap/key/restore')).status).toBe(200);
    const refused = await rotator.post('/v1/secrets/cap/key/destroy', { versions: [1] });
    expect(refused.status).toBe(403);
    expect((await api.get('/v1/secrets/cap/key?version=1')).json.value).toBe('v1');
  });
});
