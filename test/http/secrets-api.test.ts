import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApiClient, TestServer } from './http-harness.js';
import { startTestServer } from './http-harness.js';

/**
 * The HTTP API end to end: a real server on a free port over a real SQLite store, driven with fetch.
 * The tests of this file share one server and build on each other, in order.
 */
const MAX_VALUE_BYTES = 1024;
const READ_WAIT_MS = 200;
const SECRET_ID = /^[0-9a-f]{32}$/;

// Distinctive plaintexts, so finding one anywhere it should not be is unambiguous.
const plaintext = (label: string): string => `${label}-${randomUUID()}`;
const V1 = plaintext('v1');
const V2 = plaintext('v2');
const V3 = plaintext('v3');
const OTHER = plaintext('other');
const IN_BAD_JSON = plaintext('bad-json');
const PLAINTEXTS = [V1, V2, V3, OTHER, IN_BAD_JSON];

describe('HTTP API', () => {
  let t: TestServer;
  let api: ApiClient;
  let id: string;
  let storedAt: number;

  beforeAll(async () => {
    t = await startTestServer({ STRONGROOM_MAX_VALUE_BYTES: String(MAX_VALUE_BYTES), STRONGROOM_READ_WAIT_MS: String(READ_WAIT_MS) });
    api = t.client;
  });
  afterAll(() => t.stop());

  it('serves /healthz without a token', async () => {
    const res = await api.get('/healthz', { token: null });
    expect(res.status).toBe(200);
    // Liveness only: nothing about the log to callers without a token.
    expect(res.json).toEqual({ status: 'ok' });
  });

  it.each([
    ['no Authorization header', null, undefined],
    ['a wrong token', 'not-the-token', undefined],
    ['an empty bearer', '', undefined],
    ['another scheme', null, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
  ])('answers 401 UNAUTHENTICATED to %s', async (_label, token, headers) => {
    const res = await api.get('/v1/secrets', { token, ...(headers ? { headers } : {}) });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.text).not.toContain('not-the-token');
  });

  it('reads the token from the 0600 file it created', () => {
    expect(readFileSync(t.options.apiTokenFile, 'utf8').trim()).toBe(api.token);
  });

  it('stores a secret whose name contains a slash: 201 with its position, also as a header', async () => {
    const res = await api.post('/v1/secrets', { name: 'db/password', value: V1, metadata: { team: 'payments' } });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ id: expect.stringMatching(SECRET_ID), name: 'db/password', env: 'default', version: 1, position: expect.any(Number) });
    expect(res.headers.get('x-strongroom-position')).toBe(String(res.json.position));
    ({ id, position: storedAt } = res.json);
  });

  it('reads it back by name (plain or %2F-encoded) and by id', async () => {
    for (const ref of ['db/password', 'db%2Fpassword', id]) {
      const res = await api.get(`/v1/secrets/${ref}`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ id, name: 'db/password', env: 'default', version: 1, stages: ['current'], value: V1, accessPosition: expect.any(Number) });
      expect(res.json.accessPosition).toBeGreaterThan(storedAt);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('lists metadata only: no value, no ciphertext', async () => {
    const res = await api.get('/v1/secrets');
    expect(res.status).toBe(200);
    expect(res.json.secrets).toEqual([expect.objectContaining({ id, name: 'db/password', version: 1, metadata: { team: 'payments' } })]);
    expect(res.text).not.toContain(V1);
    expect(res.text).not.toMatch(/ciphertext|"value"/);
  });

  it('refuses a second live secret with the same name: 409 SECRET_NAME_CONFLICT', async () => {
    const res = await api.post('/v1/secrets', { name: 'db/password', value: OTHER });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('SECRET_NAME_CONFLICT');
  });

  it('answers 404 SECRET_NOT_FOUND for an unknown name or id', async () => {
    for (const ref of ['no/such/secret', '0'.repeat(32)]) {
      const res = await api.get(`/v1/secrets/${ref}`);
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe('SECRET_NOT_FOUND');
    }
  });

  it('answers 404 NOT_FOUND for an unknown route, in the same shape', async () => {
    const res = await api.get('/v2/nothing');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    // HEAD would be an audited read that delivers nothing.
    expect((await api.request('HEAD', '/v1/secrets/db/password')).status).toBe(404);
  });

  describe('bad input is 400 INVALID_INPUT (413 when the body is over the limit), never a stack', () => {
    const expectInvalid = (res: { status: number; json: { error?: { code?: string } }; text: string }, status = 400): void => {
      expect(res.status).toBe(status);
      expect(res.json).toEqual({ error: { code: 'INVALID_INPUT', message: expect.any(String) } });
      expect(res.text).not.toMatch(/\bat .+\.(js|ts):\d+/);
    };

    it('a non-string value', async () => expectInvalid(await api.post('/v1/secrets', { name: 'n', value: 42 })));
    it('a missing value', async () => expectInvalid(await api.post('/v1/secrets', { name: 'n' })));
    it('a body that is not an object', async () => expectInvalid(await api.post('/v1/secrets', ['n', 'v'])));

    it('malformed JSON, without echoing the body', async () => {
      const res = await api.request('POST', '/v1/secrets', { rawBody: `{"name":"n","value":${IN_BAD_JSON}}` });
      expectInvalid(res);
      expect(res.text).not.toContain(IN_BAD_JSON);
    });

    it.each(['application/x-www-form-urlencoded', 'text/plain', 'application/xml'])('a body of type %s', async (contentType) => {
      const res = await api.request('POST', '/v1/secrets', { rawBody: 'name=n&value=v', contentType });
      expectInvalid(res);
      expect(res.json.error.message).toContain('application/json');
    });

    it('a value over the maximum size: 413 VALUE_TOO_LARGE, measured on the value', async () => {
      const res = await api.post('/v1/secrets', { name: 'big', value: 'x'.repeat(MAX_VALUE_BYTES + 1) });
      expect(res.status).toBe(413);
      expect(res.json).toEqual({ error: { code: 'VALUE_TOO_LARGE', message: expect.stringContaining(String(MAX_VALUE_BYTES)) } });
    });

    it('a body over the body limit: 413 VALUE_TOO_LARGE too', async () => {
      const res = await api.post('/v1/secrets', { name: 'huge', value: 'x'.repeat(MAX_VALUE_BYTES * 6 + 70 * 1024) });
      expect(res.status).toBe(413);
      expect(res.json.error.code).toBe('VALUE_TOO_LARGE');
    });

    it('a reference that is neither an id nor a valid name', async () => {
      expectInvalid(await api.get('/v1/secrets/%20padded%20'));
      expectInvalid(await api.get(`/v1/secrets/${'n'.repeat(300)}`));
    });

    it('a bad version or minimum position', async () => {
      for (const query of ['version=abc', 'version=0', 'version=-1', 'version=1.5', 'minPosition=soon']) {
        expectInvalid(await api.get(`/v1/secrets/db/password?${query}`));
      }
    });

    it('a bad expectedVersion or audit paging', async () => {
      expectInvalid(await api.delete('/v1/secrets/db/password?expectedVersion=abc'));
      expectInvalid(await api.put('/v1/secrets/db/password', { value: OTHER, expectedVersion: '1' }));
      expectInvalid(await api.get('/v1/audit?limit=-5'));
    });
  });

  it('updates with check-and-set: the right expectedVersion wins, a stale one is 409', async () => {
    const ok = await api.put('/v1/secrets/db/password', { value: V2, expectedVersion: 1 });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ id, name: 'db/password', env: 'default', version: 2, position: expect.any(Number) });
    expect(ok.headers.get('x-strongroom-position')).toBe(String(ok.json.position));

    const stale = await api.put('/v1/secrets/db/password', { value: OTHER, expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('VERSION_CONFLICT');

    expect((await api.get('/v1/secrets/db/password')).json.value).toBe(V2);
    expect((await api.get('/v1/secrets/db/password?version=1')).json).toMatchObject({ version: 1, value: V1 });
  });

  it('rotates a secret value and shows it in the rotation history and the history', async () => {
    const rotated = await api.post('/v1/secrets/db/password/rotate', { value: V3 });
    expect(rotated.status).toBe(200);
    expect(rotated.json).toMatchObject({ id, version: 3 });
    expect(rotated.headers.get('x-strongroom-position')).toBe(String(rotated.json.position));

    const rotations = await api.get('/v1/secrets/db/password/rotations');
    expect(rotations.status).toBe(200);
    expect(rotations.json).toEqual({ id, name: 'db/password', env: 'default', rotations: [expect.objectContaining({ type: 'SecretRotated', version: 3 })] });

    const history = await api.get('/v1/secrets/db/password/history');
    expect(history.status).toBe(200);
    expect(history.json.entries.map((e: { type: string }) => e.type)).toEqual(['SecretStored', 'SecretUpdated', 'SecretRotated']);
    expect(history.json.entries.every((e: { interface: string }) => e.interface === 'http')).toBe(true);
  });

  it('reaches a secret whose name ends like a sub-resource through %2F', async () => {
    const stored = await api.post('/v1/secrets', { name: 'app/history', value: OTHER });
    expect(stored.status).toBe(201);
    expect((await api.get('/v1/secrets/app%2Fhistory')).json).toMatchObject({ name: 'app/history', value: OTHER });
    expect((await api.get('/v1/secrets/app%2Fhistory/history')).json.entries).toHaveLength(1);
  });

  it('records every read in the audit trail with the token as actor, interface http and the X-Request-Id', async () => {
    const requestId = `audit-check-${Date.now()}`;
    const read = await api.get(`/v1/secrets/${id}`, { headers: { 'x-request-id': requestId } });
    expect(read.headers.get('x-request-id')).toBe(requestId);

    const res = await api.get('/v1/audit?secret=db/password');
    expect(res.status).toBe(200);
    const tokenId = api.token.split('_')[1];
    const accesses = res.json.entries.filter((e: { type: string }) => e.type === 'SecretAccessed');
    expect(accesses.length).toBeGreaterThanOrEqual(5);
    expect(accesses).toContainEqual(
      expect.objectContaining({ secretId: id, actor: 'root', tokenId, interface: 'http', correlationId: requestId, position: read.json.accessPosition }),
    );
    expect(res.text).not.toContain(api.token);

    const page = await api.get('/v1/audit?from=0&limit=2');
    expect(page.json.entries).toHaveLength(2);
  });

  it('replaces an unsafe X-Request-Id with a fresh one', async () => {
    const res = await api.get('/v1/secrets', { headers: { 'x-request-id': 'a b"<script>' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('verifies the audit log', async () => {
    const res = await api.get('/v1/audit/verify');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, events: expect.any(Number), head: { position: expect.any(Number), hash: expect.any(String) } });
    const bad = await api.get('/v1/audit/verify?checkpointPosition=1');
    expect(bad.status).toBe(400);
  });

  it('rotates the data key and the master key; values stay readable and the log verifies', async () => {
    const rotated = await api.post('/v1/keys/rotate');
    expect(rotated.status).toBe(200);
    expect(rotated.json).toMatchObject({ newKeyId: expect.any(String), failed: 0 });
    expect(rotated.json.reEncrypted).toBeGreaterThanOrEqual(2);
    expect(rotated.headers.get('x-strongroom-position')).toBe(String(rotated.json.position));

    const rotations = await api.get('/v1/keys/rotations');
    expect(rotations.status).toBe(200);
    expect(rotations.json.rotations).toHaveLength(1);
    expect(rotations.json.rotations[0]).toMatchObject({ env: 'default', startedBy: 'root' });

    const master = await api.post('/v1/keys/master/rotate');
    expect(master.status).toBe(200);
    expect(master.json).toMatchObject({ masterKeyId: expect.any(String), position: expect.any(Number) });
    expect(master.text).not.toContain(readFileSync(t.options.masterKeyFile, 'utf8').trim());

    const list = await api.get('/v1/secrets');
    expect(list.json.secrets.find((s: { id: string }) => s.id === id).keyId).toBe(rotated.json.newKeyId);
    expect((await api.get('/v1/secrets/db/password')).json.value).toBe(V3);
    expect((await api.get('/v1/audit/verify')).json.ok).toBe(true);
  });

  it('reads its own writes: a reached minimum position answers at once, a future one times out with 503', async () => {
    const write = await api.put('/v1/secrets/db/password', { value: V3 });
    const position = write.headers.get('x-strongroom-position') ?? '';
    const own = await api.get('/v1/secrets/db/password', { headers: { 'x-strongroom-min-position': position } });
    expect(own.json).toMatchObject({ version: write.json.version, value: V3 });
    expect((await api.get(`/v1/secrets?minPosition=${position}`)).status).toBe(200);

    for (const path of ['/v1/secrets/db/password', '/v1/secrets']) {
      const started = Date.now();
      const res = await api.get(path, { headers: { 'x-strongroom-min-position': String(10 ** 12) } });
      expect(res.status).toBe(503);
      expect(res.json.error.code).toBe('STORE_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(READ_WAIT_MS + 2000);
    }
  });

  it('deletes with check-and-set; with force the secret is then gone', async () => {
    const current = (await api.get('/v1/secrets')).json.secrets.find((s: { id: string }) => s.id === id).version as number;
    const stale = await api.delete(`/v1/secrets/db/password?expectedVersion=${current - 1}`);
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('VERSION_CONFLICT');

    const deleted = await api.delete(`/v1/secrets/db/password?expectedVersion=${current}&force=true`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({ id, name: 'db/password', purgeAt: null });
    expect(deleted.headers.get('x-strongroom-position')).toBe(String(deleted.json.position));
    expect((await api.get(`/v1/secrets/${id}`)).status).toBe(404);
    expect((await api.delete(`/v1/secrets/${id}`)).status).toBe(404);
  });

  it('never shows a plaintext or the token outside the GET value response, nor in any log line', () => {
    const valueReads = (e: { method: string; path: string; status: number }): boolean =>
      e.method === 'GET' && e.status === 200 && /^\/v1\/secrets\/[^/?]+(?:\/[^/?]+)*(?:\?.*)?$/.test(e.path) && !/\/(history|rotations)(\?|$)/.test(e.path);
    expect(api.exchanges.length).toBeGreaterThan(40);
    for (const exchange of api.exchanges) {
      const seen = exchange.text + JSON.stringify([...exchange.headers.entries()]);
      expect(seen).not.toContain(api.token);
      if (valueReads(exchange)) continue;
      for (const value of PLAINTEXTS) expect(seen).not.toContain(value);
    }
    const logs = t.logs.join('\n');
    for (const value of [...PLAINTEXTS, api.token]) expect(logs).not.toContain(value);
  });
});
