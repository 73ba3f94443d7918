import { startTestServer, type TestServer } from './http-harness.js';

/**
 * Error messages a tester found unhelpful, each said on HTTP as it is everywhere else: a token too long
 * for a header, a historical read of a version that did not exist yet, and a read in an environment
 * that does not exist (ENVIRONMENT_NOT_FOUND, as `state --at` and writes say, not SECRET_NOT_FOUND).
 */
describe('HTTP error messages', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('says a 6,000-character token is too long, with the limit, and never echoes it', async () => {
    const token = `srt_${'a'.repeat(5996)}`;
    const refused = await server.client.get('/v1/secrets', { token });
    expect(refused.status).toBe(401);
    expect(refused.json.error).toEqual({ code: 'UNAUTHENTICATED', message: expect.stringContaining('the token in the Authorization header is too long (6000 characters; at most 512)') });
    expect(refused.text).not.toContain('aaaaaaaaaa');
    // Other malformed headers keep their words.
    expect((await server.client.get('/v1/secrets', { token: null, headers: { authorization: 'Basic abc' } })).json.error.message).toBe('the Authorization header must be "Bearer <token>"');
  });

  it('a historical read of a version the secret did not have then names the secret and the position', async () => {
    const stored = await server.client.post('/v1/secrets', { name: 'msg/versioned', value: 'v1' });
    const at = Number(stored.headers.get('x-strongroom-position'));
    expect((await server.client.put('/v1/secrets/msg/versioned', { value: 'v2' })).status).toBe(200);
    const refused = await server.client.get(`/v1/secrets/msg/versioned?at=${at}&version=2`);
    expect(refused.json.error).toMatchObject({ code: 'SECRET_NOT_FOUND', message: `secret msg/versioned had no version 2 at position ${at}` });
    expect((await server.client.get(`/v1/secrets/msg/versioned?at=${at}&version=1`)).json.value).toBe('v1');
  });

  it('a read in an environment that does not exist is ENVIRONMENT_NOT_FOUND on every read; a caller not granted that environment is refused first', async () => {
    for (const path of ['/v1/envs/nosuch/secrets/x', '/v1/envs/nosuch/secrets', '/v1/envs/nosuch/secrets/x/history', '/v1/envs/nosuch/secrets/x?at=1']) {
      const refused = await server.client.get(path);
      expect({ path, status: refused.status, error: refused.json.error }).toEqual({ path, status: 404, error: { code: 'ENVIRONMENT_NOT_FOUND', message: 'environment nosuch does not exist (strongroom env list)' } });
    }
    expect((await server.client.get('/v1/secrets/x')).json.error.code).toBe('SECRET_NOT_FOUND');

    expect((await server.client.put('/v1/policies/default-only', { document: { rules: [{ allow: ['read', 'list'], environments: ['default'] }] } })).status).toBe(200);
    const narrow = server.client.as((await server.client.post('/v1/tokens', { principal: 'narrow', policies: ['default-only'] })).json.token);
    for (const env of ['nosuch', 'prod']) expect((await narrow.get(`/v1/envs/${env}/secrets/x`)).json.error.code).toBe('ACCESS_DENIED');
  });
});
