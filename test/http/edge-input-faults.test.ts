import { request as httpRequest } from 'node:http';
import { startTestServer, type TestServer } from './http-harness.js';

/**
 * Faults a tester found at the HTTP edge, each a kind: bytes that are not UTF-8 in a JSON body were
 * stored as U+FFFD; a malformed or repeated Idempotency-Key was dropped (a retry then acted twice); a
 * malformed minimum position was dropped (a stale read). Each is now refused with INVALID_INPUT naming
 * the rule, and nothing is done.
 */
describe('HTTP edge: bodies and headers refused, never altered or dropped', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** A request with raw body bytes and raw header lines (a header may repeat), as curl would send it. */
  const raw = (method: string, path: string, body: Buffer | undefined, headers: Record<string, string | string[]> = {}): Promise<{ status: number; json: any }> => // eslint-disable-line @typescript-eslint/no-explicit-any
    new Promise((resolve, reject) => {
      const url = new URL(server.server.url + path);
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: { authorization: `Bearer ${server.client.token}`, ...(body && { 'content-type': 'application/json' }), ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const invalidUtf8 = (json: string): Buffer => Buffer.concat(json.split('@@').flatMap((part, i) => (i === 0 ? [Buffer.from(part)] : [Buffer.from([0xff, 0xfe]), Buffer.from(part)])));

  it('refuses a JSON body holding bytes that are not UTF-8, on every JSON route, and stores nothing', async () => {
    const stored = await raw('POST', '/v1/secrets', invalidUtf8('{"name":"bad/utf","value":"@@"}'));
    expect(stored).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT', message: expect.stringContaining('not valid UTF-8') } } });
    expect((await server.client.get('/v1/secrets/bad/utf')).json.error.code).toBe('SECRET_NOT_FOUND');

    expect((await server.client.post('/v1/secrets', { name: 'good/utf', value: 'v1' })).status).toBe(201);
    for (const [method, path, json] of [
      ['POST', '/v1/secrets/good/utf/rotate', '{"value":"@@"}'],
      ['PUT', '/v1/secrets/good/utf', '{"value":"x","metadata":{"k":"@@"}}'],
      ['PUT', '/v1/policies/p1', '{"rules":[{"allow":"@@"}]}'],
    ] as const) {
      expect(await raw(method, path, invalidUtf8(json))).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT', message: expect.stringContaining('not valid UTF-8') } } });
    }
    const read = await server.client.get('/v1/secrets/good/utf');
    expect(read.json).toMatchObject({ value: 'v1', version: 1 });

    // Valid multi-byte UTF-8 still goes through unchanged; the other body errors keep their words.
    expect((await raw('POST', '/v1/secrets', Buffer.from('{"name":"good/utf8","value":"é✓😀"}'))).status).toBe(201);
    expect((await server.client.get('/v1/secrets/good/utf8')).json.value).toBe('é✓😀');
    expect((await raw('POST', '/v1/secrets', Buffer.from('{"name":'))).json.error).toEqual({ code: 'INVALID_INPUT', message: 'the request body is not valid JSON' });
    expect((await raw('POST', '/v1/secrets', Buffer.from(''))).json.error.code).toBe('INVALID_INPUT');
    const tooLarge = await raw('POST', '/v1/secrets', Buffer.alloc(server.options.maxValueBytes * 6 + 64 * 1024 + 1, 0x20));
    expect(tooLarge).toMatchObject({ status: 413, json: { error: { code: 'VALUE_TOO_LARGE' } } });
    // Prototype poisoning is still refused as before (Fastify's parser does the parsing).
    const poisoned = await raw('POST', '/v1/secrets', Buffer.from('{"name":"p/x","value":"v","__proto__":{"a":1}}'));
    expect(poisoned).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT', message: expect.stringContaining('__proto__') } } });
  });

  it('refuses a body that gives a key twice, at any depth, naming the key and not its values; stores nothing', async () => {
    const top = await raw('POST', '/v1/secrets', Buffer.from('{"name":"x/dup","value":"first-value","value":"second-value"}'));
    expect(top).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT', message: 'the request body gives the key "value" more than once: send each key once' } } });
    expect(JSON.stringify(top.json)).not.toMatch(/first-value|second-value/);
    expect((await server.client.get('/v1/secrets/x/dup')).json.error.code).toBe('SECRET_NOT_FOUND');
    const nested = await raw('POST', '/v1/secrets', Buffer.from('{"name":"x/dup2","value":"v","metadata":{"owner":"a","\\u006fwner":"b"}}'));
    expect(nested.json.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('"metadata.owner"') });
    const inPolicy = await raw('PUT', '/v1/policies/dup', Buffer.from('{"rules":[{"allow":["read"],"secrets":["a/**"],"allow":["read","write"]}]}'));
    expect(inPolicy.json.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('"rules[0].allow"') });
    // The same key in sibling objects, or a key pattern inside a value, is not a repeat.
    expect((await raw('POST', '/v1/secrets', Buffer.from('{"name":"x/ok","value":"\\"value\\": 1","metadata":{"value":"v"}}'))).status).toBe(201);
  });

  it('refuses a malformed or repeated Idempotency-Key, naming the rule, and does nothing', async () => {
    const before = (await server.server.strongroom.runtime.store.readAll({})).length;
    for (const key of ['k'.repeat(129), 'retry 1', 'é', '']) {
      const refused = await raw('POST', '/v1/secrets', Buffer.from('{"name":"idem/bad","value":"v"}'), { 'idempotency-key': key });
      expect(refused).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT', message: expect.stringContaining('1 to 128 printable ASCII characters') } } });
    }
    const twice = await raw('POST', '/v1/secrets', Buffer.from('{"name":"idem/bad","value":"v"}'), { 'idempotency-key': ['same-key', 'same-key'] });
    expect(twice).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT', message: expect.stringContaining('more than once') } } });
    expect((await server.server.strongroom.runtime.store.readAll({})).length).toBe(before);
    expect((await server.client.get('/v1/secrets/idem/bad')).json.error.code).toBe('SECRET_NOT_FOUND');

    // The longest valid key still makes a retry act once.
    const key = 'k'.repeat(128);
    const first = await raw('POST', '/v1/secrets', Buffer.from('{"name":"idem/ok","value":"v"}'), { 'idempotency-key': key });
    const again = await raw('POST', '/v1/secrets', Buffer.from('{"name":"idem/ok","value":"v"}'), { 'idempotency-key': key });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.json).toEqual(first.json);
  });

  it('refuses a malformed or repeated minimum position on any route, rather than read stale', async () => {
    for (const path of ['/v1/secrets/good/utf', '/v1/tokens', '/v1/audit?limit=1']) {
      const header = await raw('GET', path, undefined, { 'x-strongroom-min-position': 'abc' });
      expect(header).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT', message: expect.stringContaining('x-strongroom-min-position header must be a log position') } } });
      const repeated = await raw('GET', path, undefined, { 'x-strongroom-min-position': ['1', '2'] });
      expect(repeated).toMatchObject({ status: 400, json: { error: { message: expect.stringContaining('more than once') } } });
    }
    const query = await raw('GET', '/v1/secrets/good/utf?minPosition=-1', undefined);
    expect(query).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT', message: expect.stringContaining('minPosition query parameter must be a log position') } } });
    expect((await raw('GET', '/v1/secrets/good/utf', undefined, { 'x-strongroom-min-position': '1' })).status).toBe(200);
  });

  it('refuses two Authorization headers (which token was meant is ambiguous), even when one of them is good', async () => {
    const good = `Bearer ${server.client.token}`;
    const twice = await raw('GET', '/v1/secrets/good/utf', undefined, { authorization: [good, 'Bearer srt_other'] });
    expect(twice).toMatchObject({ status: 401, json: { error: { code: 'UNAUTHENTICATED', message: expect.stringContaining('more than once') } } });
    expect(JSON.stringify(twice.json)).not.toContain(server.client.token);
  });

  it('keeps a malformed X-Request-Id lenient: replaced by a fresh id, echoed back, the request served', async () => {
    const res = await fetch(`${server.server.url}/v1/secrets/good/utf`, { headers: { authorization: `Bearer ${server.client.token}`, 'x-request-id': 'has space' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('says what a query parameter expects: required, a whole number, a position or a time', async () => {
    expect((await server.client.get('/v1/state')).json.error).toEqual({ code: 'INVALID_INPUT', message: 'at: required (a number or a string)' });
    expect((await server.client.get('/v1/state?at=abc')).json.error.message).toBe('at: at is a log position or an ISO-8601 time such as 2026-01-31T12:00:00Z');
    expect((await server.client.get('/v1/state?at=0')).status).toBe(200);
    for (const [path, key] of [['/v1/audit/report?unusedDays=abc', 'unusedDays'], ['/v1/secrets?limit=ten', 'limit'], ['/v1/secrets/good/utf?version=-2', 'version']]) {
      expect((await server.client.get(path as string)).json.error).toEqual({ code: 'INVALID_INPUT', message: `query parameter ${key}: expected a whole number (decimal digits, e.g. ${key}=3)` });
    }
    expect((await server.client.get('/v1/audit/report?unusedDays=30')).status).toBe(200);
  });
});
