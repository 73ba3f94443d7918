import { StrongroomClient, StrongroomClientError, type StrongroomEvent } from '../../src/client/index.js';
import { deleteStreams, natsConnect, NATS_URL, uniquePrefix } from '../bus/nats-harness.js';
import { serveHome, startTestServer, type TestServer } from '../http/http-harness.js';
import { dropSchema, freshSchemaName, testPostgresUrl, withSchema } from '../support/pg-test-db.js';

/**
 * The SDK over the real NATS bus: the same methods and typed errors as over HTTP, change events for a
 * watcher (never a value), and the value cache, invalidated by a rotation made through another replica.
 */
const SECRET = 'nats-sdk-secret-4e1f0';

const failure = async (work: Promise<unknown>): Promise<StrongroomClientError> => {
  try {
    await work;
  } catch (e) {
    if (e instanceof StrongroomClientError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
};

const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within 30 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('StrongroomClient over NATS, two replicas', () => {
  let a: TestServer;
  let b: TestServer;
  let prefix: string;
  let base: string;
  let schema: string;

  beforeAll(async () => {
    prefix = uniquePrefix();
    base = await testPostgresUrl();
    schema = freshSchemaName();
    const env = { STRONGROOM_STORE: withSchema(base, schema), STRONGROOM_NATS_URL: NATS_URL, STRONGROOM_NATS_PREFIX: prefix, STRONGROOM_READ_WAIT_MS: '10000' };
    a = await startTestServer(env);
    b = await serveHome(a.home, env);
  }, 60_000);

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    const nc = await natsConnect();
    await deleteStreams(nc, prefix);
    await nc.close();
    await dropSchema(base, schema).catch(() => undefined);
  });

  it('does what it does over HTTP: reads its writes, typed errors', async () => {
    const client = await StrongroomClient.connect({ url: NATS_URL, token: a.client.token, prefix });
    try {
      for (let i = 0; i < 10; i++) {
        await client.storeSecret(`nats/${i}`, `${SECRET}-${i}`);
        // Either replica may answer (one queue group); the last write's position makes it wait if behind.
        expect(await client.getSecretByName(`nats/${i}`)).toBe(`${SECRET}-${i}`);
      }
      const bytes = new Uint8Array([9, 0, 255]);
      await client.storeSecret('nats/bytes', bytes);
      expect(await client.getSecretBytes('nats/bytes')).toEqual(bytes);
      expect((await client.listSecrets({ prefix: 'nats/' })).length).toBe(11);
      expect((await failure(client.storeSecret('nats/0', 'again'))).code).toBe('SECRET_NAME_CONFLICT');
      expect(await client.getSecretByName('nats/none')).toBeNull();
      const stranger = await StrongroomClient.connect({ url: NATS_URL, token: 'srt_nope', prefix, retry: { attempts: 1 } });
      expect((await failure(stranger.listSecrets())).code).toBe('UNAUTHENTICATED');
      await stranger.close();
      // A prefix no server listens on says so (NATS's "no responders"), rather than an opaque error name.
      const lost = await StrongroomClient.connect({ url: NATS_URL, token: a.client.token, prefix: `${prefix}-nobody`, retry: { attempts: 1 } });
      const unheard = await failure(lost.listSecrets());
      expect(unheard).toMatchObject({ code: 'UNREACHABLE', message: expect.stringContaining(`is its prefix ${prefix}-nobody?`) });
      await lost.close();
    } finally {
      await client.close();
    }
  }, 60_000);

  it('delivers change events to a watcher, metadata only', async () => {
    const client = await StrongroomClient.connect({ url: NATS_URL, token: a.client.token, prefix });
    const seen: StrongroomEvent[] = [];
    const unwatch = await client.watch((e) => seen.push(e), { types: ['SecretStored', 'SecretRotated'] });
    try {
      await client.storeSecret('watched/db', SECRET);
      await client.rotateSecret('watched/db', `${SECRET}-2`);
      await eventually(async () => seen.length, (n) => n >= 2, 'two events');
      expect(seen.map((e) => [e.type, e.name])).toEqual([
        ['SecretStored', 'watched/db'],
        ['SecretRotated', 'watched/db'],
      ]);
      expect(seen[1]?.position).toBeGreaterThan(seen[0]?.position ?? Infinity);
      expect(JSON.stringify(seen)).not.toContain(SECRET);
      // A subscriber that starts later replays from a position.
      const replayed: StrongroomEvent[] = [];
      const stop = await client.watch((e) => replayed.push(e), { fromPosition: (seen[0]?.position ?? 1) - 1, types: ['SecretStored', 'SecretRotated'] });
      await eventually(async () => replayed.length, (n) => n >= 2, 'the replay');
      await stop();
      expect(replayed.slice(0, 2).map((e) => e.position)).toEqual(seen.map((e) => e.position));
    } finally {
      await unwatch();
      await client.close();
    }
  }, 60_000);

  it('serves cached values until a rotation through another replica invalidates them', async () => {
    const client = await StrongroomClient.connect({ url: NATS_URL, token: a.client.token, prefix, cache: true });
    try {
      await client.storeSecret('cached/db', 'v1');
      expect(await client.getSecretByName('cached/db')).toBe('v1');
      const accessesBefore = (await a.server.strongroom.runtime.store.readAll({})).filter((e) => e.type === 'SecretAccessed').length;
      expect(await client.getSecretByName('cached/db')).toBe('v1');
      expect(client.cacheHits).toBe(1);
      // A hit is not a read on the server: no new SecretAccessed.
      expect((await a.server.strongroom.runtime.store.readAll({})).filter((e) => e.type === 'SecretAccessed').length).toBe(accessesBefore);

      // Another replica, over HTTP, not through this client.
      expect((await b.client.post('/v1/secrets/cached/db/rotate', { value: 'v2' })).status).toBe(200);
      expect(await eventually(() => client.getSecretByName('cached/db'), (v) => v === 'v2', 'the cached value to follow the rotation')).toBe('v2');
      // And its own writes are never served stale, even before their event arrives.
      await client.updateSecret('cached/db', 'v3');
      expect(await client.getSecretByName('cached/db')).toBe('v3');
    } finally {
      await client.close();
    }
  }, 60_000);

  it('reports an unreachable bus as UNREACHABLE, after its retries', async () => {
    await expect(StrongroomClient.connect({ url: 'nats://127.0.0.1:1', token: 't' })).rejects.toMatchObject({ code: 'UNREACHABLE' });
    const nobody = await StrongroomClient.connect({ url: NATS_URL, token: a.client.token, prefix: uniquePrefix(), retry: { attempts: 2, baseDelayMs: 10 } });
    try {
      expect((await failure(nobody.listSecrets())).code).toBe('UNREACHABLE');
    } finally {
      await nobody.close();
    }
    expect(() => new StrongroomClient({ url: 'http://127.0.0.1:1', token: 't', cache: true })).toThrow(StrongroomClientError);
  }, 30_000);
});
