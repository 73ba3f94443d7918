import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { StrongroomClient, StrongroomClientError, isClientError } from '../../src/client/index.js';
import { startTestServer, type TestServer } from '../http/http-harness.js';
import { RoundRobinProxy } from './http-proxy.js';

/**
 * The SDK against a real HTTP server: SecretManager's methods with the same results, the server's typed
 * error codes, retries on a real 503 and on a refused connection (the same idempotency key on each try),
 * and no secret value or token in any error.
 */
const SECRET = 'sdk-secret-value-7f3a9c';

const failure = async (work: Promise<unknown>): Promise<StrongroomClientError> => {
  try {
    await work;
  } catch (e) {
    if (e instanceof StrongroomClientError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
};

const freePort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

describe('StrongroomClient over HTTP', () => {
  let server: TestServer;
  let client: StrongroomClient;

  beforeAll(async () => {
    server = await startTestServer();
    client = new StrongroomClient({ url: server.server.url, token: server.client.token });
  });

  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it('stores, reads (text, bytes, by name), updates, lists and deletes as SecretManager does', async () => {
    const id = await client.storeSecret('sdk/db', SECRET, { team: 'payments' });
    expect(id).toMatch(/\S+/);
    expect(await client.getSecret(id)).toBe(SECRET);
    expect(await client.getSecretByName('sdk/db')).toBe(SECRET);
    const bytes = new Uint8Array([0, 1, 2, 250, 255, 128]);
    await client.storeSecret('sdk/bytes', bytes);
    expect(await client.getSecretBytes('sdk/bytes')).toEqual(bytes);
    expect((await failure(client.getSecretByName('sdk/bytes'))).code).toBe('INVALID_INPUT');

    const updated = await client.updateSecret('sdk/db', `${SECRET}-2`, { expectedVersion: 1 });
    expect(updated).toMatchObject({ name: 'sdk/db', version: 2, env: 'default' });
    expect(client.lastWritePosition).toBeGreaterThanOrEqual(updated.position);
    const read = await client.readSecret('sdk/db', { version: 1 });
    expect(read).toMatchObject({ version: 1, binary: false, name: 'sdk/db' });
    expect(new TextDecoder().decode(read.bytes)).toBe(SECRET);

    const listed = await client.listSecrets({ prefix: 'sdk/' });
    expect(listed.map((s) => s.name).sort()).toEqual(['sdk/bytes', 'sdk/db']);
    expect(JSON.stringify(listed)).not.toContain(SECRET);

    const exported = await client.exportSecrets({ prefix: 'sdk/' });
    expect(exported.get('sdk/db')).toBe(`${SECRET}-2`);
    expect(exported.get('sdk/bytes')).toEqual(bytes);

    const rotated = await client.rotateSecret('sdk/db', { generate: { length: 40, charset: 'hex' } });
    expect(rotated.version).toBe(3);
    expect(await client.getSecretByName('sdk/db')).toMatch(/^[0-9a-f]{40}$/);
    const history = await client.getRotationHistory('sdk/db');
    expect(history.kind === 'secret' && history.rotations.length).toBeGreaterThanOrEqual(1);

    expect(await client.deleteSecret(id)).toBe(true);
    expect(await client.getSecret(id)).toBeNull();
    expect(await client.deleteSecret('00000000-0000-4000-8000-000000000000')).toBe(false);
    await client.restoreSecret('sdk/db');
    expect(await client.getSecretByName('sdk/db')).toMatch(/^[0-9a-f]{40}$/);

    const trail = await client.getAuditTrail({ ref: 'sdk/db' });
    expect(trail.some((e) => e.type === 'SecretAccessed')).toBe(true);
    expect((await client.verifyAuditLog()).ok).toBe(true);
  });

  it('two-phase rotation, environments, tokens and policies', async () => {
    await client.storeSecret('sdk/two-phase', 'first');
    const pending = await client.putPendingVersion('sdk/two-phase', 'second');
    expect(await client.getSecretByName('sdk/two-phase')).toBe('first');
    await client.promoteVersion('sdk/two-phase', pending.version);
    expect(await client.getSecretByName('sdk/two-phase')).toBe('second');

    await client.createEnvironment('sdk-prod');
    expect((await client.listEnvironments()).map((e) => e.env)).toContain('sdk-prod');
    const prod = client.inEnvironment('sdk-prod');
    await prod.storeSecret('payments/db', 'prod-value');
    expect(await prod.getSecretByName('payments/db')).toBe('prod-value');
    expect(await client.getSecretByName('payments/db')).toBeNull();
    expect(await prod.rotateKey()).toMatch(/\S+/);
    expect(await prod.getSecretByName('payments/db')).toBe('prod-value');

    await client.setPolicy('sdk-read', { rules: [{ allow: ['read', 'list'], secrets: ['payments/**'], environments: ['sdk-prod'] }] });
    expect((await client.listPolicies()).map((p) => p.name)).toContain('sdk-read');
    const created = await client.createToken({ principal: 'sdk-service', policies: ['sdk-read'] });
    const service = new StrongroomClient({ url: server.server.url, token: created.token, environment: 'sdk-prod' });
    expect(await service.getSecretByName('payments/db')).toBe('prod-value');
    const denied = await failure(service.storeSecret('payments/other', SECRET));
    expect(denied).toMatchObject({ code: 'ACCESS_DENIED', status: 403 });
    expect(denied.message).not.toContain(SECRET);
    expect((await client.listTokens()).some((t) => t.tokenId === created.tokenId)).toBe(true);
    await client.revokeToken(created.tokenId);
    expect((await failure(service.getSecretByName('payments/db'))).code).toBe('UNAUTHENTICATED');
  });

  it('reports the server’s typed codes, with no value or token in the message', async () => {
    await client.storeSecret('sdk/conflict', SECRET);
    const conflict = await failure(client.storeSecret('sdk/conflict', SECRET));
    expect(conflict).toMatchObject({ code: 'SECRET_NAME_CONFLICT', status: 409 });
    expect(isClientError(conflict, 'SECRET_NAME_CONFLICT')).toBe(true);
    expect((await failure(client.readSecret('sdk/none'))).code).toBe('SECRET_NOT_FOUND');
    expect((await failure(client.updateSecret('sdk/conflict', 'x', { expectedVersion: 9 }))).code).toBe('VERSION_CONFLICT');
    expect((await failure(client.storeSecret('bad name!', SECRET))).code).toBe('INVALID_INPUT');
    // A value of the wrong type from plain JavaScript: named for what it is, not "empty", and not shown.
    for (const [wrong, kind] of [[12345, 'number'], [null, 'null'], [{ secret: SECRET }, 'object'], [true, 'boolean']] as const) {
      const refused = await failure(client.storeSecret('sdk/typed', wrong as unknown as string));
      expect(refused).toMatchObject({ code: 'INVALID_INPUT', message: `a secret value must be a string or a Uint8Array, not ${kind}` });
      expect((await failure(client.updateSecret('sdk/conflict', wrong as unknown as string))).code).toBe('INVALID_INPUT');
      expect((await failure(client.rotateSecret('sdk/conflict', wrong as unknown as string))).code).toBe('INVALID_INPUT');
      expect((await failure(client.putPendingVersion('sdk/conflict', wrong as unknown as string))).code).toBe('INVALID_INPUT');
    }
    const badToken = 'sr_not-a-real-token-0123456789';
    const stranger = new StrongroomClient({ url: server.server.url, token: badToken });
    const unauthenticated = await failure(stranger.listSecrets());
    expect(unauthenticated).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    for (const e of [conflict, unauthenticated]) {
      expect(e.message).not.toContain(SECRET);
      expect(e.message).not.toContain(badToken);
      expect(e.message).not.toContain(server.client.token);
    }
    expect(() => new StrongroomClient({ url: 'ftp://example', token: 't' })).toThrow(StrongroomClientError);
    // A token a header cannot carry is refused at once, not retried as an unreachable server, and not quoted.
    for (const bad of [`${server.client.token}\n`, `${server.client.token}\u2014`, '']) {
      let thrown: unknown;
      try {
        new StrongroomClient({ url: server.server.url, token: bad });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toMatchObject({ code: 'INVALID_INPUT' });
      expect((thrown as Error).message).not.toContain(server.client.token);
    }
    // Too long is said as such, with the limit.
    expect(() => new StrongroomClient({ url: server.server.url, token: 'a'.repeat(6000) })).toThrow('the token is too long (6000 characters; at most 512)');
  });

  it('retries a real 503 with backoff, sending the same idempotency key each time, and gives up after its attempts', async () => {
    const proxy = await RoundRobinProxy.start([server.server.url]);
    try {
      const viaProxy = new StrongroomClient({ url: proxy.url, token: server.client.token, retry: { attempts: 4, baseDelayMs: 20 } });
      proxy.failNext(2);
      await viaProxy.storeSecret('sdk/retried', SECRET);
      const tries = proxy.seen.filter((r) => r.method === 'POST');
      expect(tries.map((r) => r.upstream)).toEqual([null, null, 0]);
      const keys = new Set(tries.map((r) => r.headers['idempotency-key']));
      expect(keys.size).toBe(1);
      expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(await client.getSecretByName('sdk/retried')).toBe(SECRET);

      const unkeyed = new StrongroomClient({ url: proxy.url, token: server.client.token, idempotentWrites: false });
      await unkeyed.storeSecret('sdk/unkeyed', SECRET);
      expect(proxy.seen.at(-1)?.headers['idempotency-key']).toBeUndefined();

      proxy.failNext(10);
      const gaveUp = await failure(viaProxy.listSecrets());
      expect(gaveUp).toMatchObject({ code: 'STORE_UNAVAILABLE', status: 503 });
      proxy.failNext(0);
    } finally {
      await proxy.close();
    }
  });

  it('retries a refused connection until the server comes up, and reports UNREACHABLE when it never does', async () => {
    const port = await freePort();
    const late = new StrongroomClient({ url: `http://127.0.0.1:${port}`, token: server.client.token, retry: { attempts: 30, baseDelayMs: 50, maxDelayMs: 200 } });
    let proxy: RoundRobinProxy | undefined;
    const starting = new Promise<void>((resolve) =>
      setTimeout(() => {
        void RoundRobinProxy.start([server.server.url], port).then((p) => {
          proxy = p;
          resolve();
        });
      }, 300),
    );
    try {
      const stored = late.storeSecret('sdk/late', SECRET);
      await starting;
      expect(await stored).toMatch(/\S+/);
      expect(await client.getSecretByName('sdk/late')).toBe(SECRET);
    } finally {
      await proxy?.close();
    }
    const never = new StrongroomClient({ url: `http://127.0.0.1:${await freePort()}`, token: server.client.token, retry: { attempts: 2, baseDelayMs: 10 } });
    const unreachable = await failure(never.listSecrets());
    expect(unreachable.code).toBe('UNREACHABLE');
    expect(unreachable.message).not.toContain(server.client.token);
  });

  it('follows the audit trail live: the head first, then each entry as committed, resumable from a position, never a value', async () => {
    const abort = new AbortController();
    const feed = client.followAuditTrail({ signal: abort.signal })[Symbol.asyncIterator]();
    const first = (await feed.next()).value;
    expect(first).toMatchObject({ kind: 'head' });
    const stored = await client.storeSecret('sdk/live', SECRET);
    const seen: { kind: string; position?: number; entry?: Record<string, unknown> }[] = [];
    while (!seen.some((m) => m.kind === 'entry' && m.entry?.type === 'SecretStored')) seen.push((await feed.next()).value);
    const entry = seen.find((m) => m.kind === 'entry' && m.entry?.type === 'SecretStored');
    expect(JSON.stringify(seen)).not.toContain(SECRET);
    abort.abort();
    expect((await feed.next()).done).toBe(true);

    // Resuming from just before that entry gives it again, first.
    const again = new AbortController();
    const resumed = client.followAuditTrail({ from: (entry?.position ?? 1) - 1, signal: again.signal })[Symbol.asyncIterator]();
    let next = (await resumed.next()).value;
    while (next.kind !== 'entry') next = (await resumed.next()).value;
    expect(next).toMatchObject({ kind: 'entry', position: entry?.position });
    again.abort();
    expect(stored).toBeTruthy();

    const stranger = new StrongroomClient({ url: server.server.url, token: 'srt_not-a-token' });
    const refused = await failure((async () => {
      for await (const _ of stranger.followAuditTrail()) break;
    })());
    expect(refused).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expect(refused.message).not.toContain('srt_not-a-token');
  });
});
