import { startTestServer, type TestServer } from './http-harness.js';

/**
 * Idempotency keys in the kernel, seen over HTTP: a command retried with the same `Idempotency-Key`
 * acts once and answers its first result; the key is in the log; the same key for another command is
 * refused; a token is never recorded in the idempotency record (its replay answers without it).
 */
describe('Idempotency-Key', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('acts once per key and answers the first result to every retry', async () => {
    const headers = { 'idempotency-key': 'store-once-1' };
    const first = await server.client.post('/v1/secrets', { name: 'idem/db', value: 'v1' }, { headers });
    expect(first.status).toBe(201);
    const again = await server.client.post('/v1/secrets', { name: 'idem/db', value: 'v1' }, { headers });
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    // Without the key, the same request is a second command: the name is taken.
    expect((await server.client.post('/v1/secrets', { name: 'idem/db', value: 'v1' })).json.error.code).toBe('SECRET_NAME_CONFLICT');

    const rotations = await Promise.all([1, 2, 3].map(() => server.client.post('/v1/secrets/idem/db/rotate', { value: 'v2' }, { headers: { 'idempotency-key': 'rotate-once-1' } })));
    expect(new Set(rotations.map((r) => r.json.version))).toEqual(new Set([2]));
    expect((await server.client.get('/v1/secrets/idem/db')).json.version).toBe(2);

    const events = await server.server.strongroom.runtime.store.readAll({});
    expect(events.filter((e) => e.type === 'SecretStored' && (e.data as { name?: string }).name === 'idem/db')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'SecretRotated')).toHaveLength(1);
    expect(events.find((e) => e.type === 'SecretStored')?.metadata.idempotencyKey).toBe('store-once-1');
    expect(events.filter((e) => e.type === 'IdempotentCommandCompleted').map((e) => (e.data as { useCase: string }).useCase)).toEqual(['StoreSecret', 'RotateSecret']);
  });

  it('refuses the same key sent with another value, without putting the value (or a plain hash of it) in the log', async () => {
    const headers = { 'idempotency-key': 'value-bound' };
    const first = await server.client.post('/v1/secrets', { name: 'idem/value', value: 'v-one-SECRET' }, { headers });
    expect(first.status).toBe(201);
    expect((await server.client.post('/v1/secrets', { name: 'idem/value', value: 'v-one-SECRET' }, { headers })).json).toEqual(first.json);
    const other = await server.client.post('/v1/secrets', { name: 'idem/value', value: 'OTHER-VALUE' }, { headers });
    expect(other).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT' } } });
    const asBase64 = await server.client.post('/v1/secrets', { name: 'idem/value', valueBase64: Buffer.from('v-one-SECRET').toString('base64') }, { headers });
    expect(asBase64.status).toBe(400);
    expect((await server.client.get('/v1/secrets/idem/value')).json.value).toBe('v-one-SECRET');
    const log = JSON.stringify(await server.server.strongroom.runtime.store.readAll({ maxCount: 100_000 }));
    expect(log).not.toContain('v-one-SECRET');
    const { createHash } = await import('node:crypto');
    expect(log).not.toContain(createHash('sha256').update('v-one-SECRET').digest('hex'));
  });

  it('refuses a key reused for another command, and never records a token', async () => {
    const headers = { 'idempotency-key': 'reused-key' };
    expect((await server.client.post('/v1/secrets', { name: 'idem/a', value: 'x' }, { headers })).status).toBe(201);
    const reused = await server.client.post('/v1/secrets', { name: 'idem/b', value: 'x' }, { headers });
    expect(reused).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT' } } });

    const tokenHeaders = { 'idempotency-key': 'token-once' };
    const created = await server.client.post('/v1/tokens', { principal: 'idem-service', root: true }, { headers: tokenHeaders });
    expect(created.json.token).toEqual(expect.any(String));
    const replayed = await server.client.post('/v1/tokens', { principal: 'idem-service', root: true }, { headers: tokenHeaders });
    expect(replayed.json.tokenId).toBe(created.json.tokenId);
    expect(replayed.json.token).toBeUndefined();
    const events = await server.server.strongroom.runtime.store.readAll({});
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(created.json.token);
    expect(events.filter((e) => e.type === 'TokenCreated' && (e.data as { principal: string }).principal === 'idem-service')).toHaveLength(1);
  });
});
