import type { NatsConnection } from '@nats-io/transport-node';
import type { RecordedEvent } from '../../src/event-store/event-store.port.js';
import { serveHome, startTestServer, type TestServer } from '../http/http-harness.js';
import { deleteStreams, natsConnect, NATS_URL, streamMessages, uniquePrefix } from './nats-harness.js';

/**
 * Events out, on the real NATS server with JetStream: every committed event reaches the stream in log
 * order with the log position as its message id, carrying no value, ciphertext, wrapped key or token
 * digest; a restart resumes after the last published position, so nothing is published twice.
 */
const SECRET = 'events-secret-value-5d2b8';
const TIMEOUT = 30_000;

/** Every string the store holds that must never leave it: values' ciphertext, wrapped keys, token digests. */
const sensitiveStrings = (events: readonly RecordedEvent[]): string[] => {
  const out: string[] = [];
  const walk = (value: unknown, key: string): void => {
    if (typeof value === 'string' && ['ciphertext', 'wrappedKey', 'tokenHash', 'digest', 'redactedDigest'].includes(key)) out.push(value);
    else if (Array.isArray(value)) value.forEach((v) => walk(v, key));
    else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  for (const e of events) walk(e.data, '');
  return out;
};

describe('events out to JetStream', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let prefix: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    prefix = uniquePrefix();
    env = { STRONGROOM_NATS_URL: NATS_URL, STRONGROOM_NATS_PREFIX: prefix };
    server = await startTestServer(env);
    nc = await natsConnect();
  });

  afterAll(async () => {
    await server?.stop();
    await deleteStreams(nc, prefix);
    await nc?.close();
  });

  const publishedAll = async (s: TestServer): Promise<RecordedEvent[]> => {
    const events = await s.server.strongroom.runtime.store.readAll({});
    await s.server.bus?.events.waitForPublished(events[events.length - 1]?.position ?? 0, TIMEOUT);
    return events;
  };

  it('publishes every committed event in log order, position as message id, metadata only', async () => {
    const api = server.client;
    expect((await api.post('/v1/secrets', { name: 'events/db', value: SECRET })).status).toBe(201);
    expect((await api.put('/v1/secrets/events/db', { value: `${SECRET}-2` })).status).toBe(200);
    expect((await api.post('/v1/secrets/events/db/rotate', { value: `${SECRET}-3` })).status).toBe(200);
    expect((await api.get('/v1/secrets/events/db')).json.value).toBe(`${SECRET}-3`);
    expect((await api.post('/v1/envs', { env: 'events-prod' })).status).toBe(201);
    expect((await api.post('/v1/envs/events-prod/secrets', { name: 'payments/key', valueBase64: Buffer.from(SECRET).toString('base64') })).status).toBe(201);
    const token = await api.post('/v1/tokens', { principal: 'events-service', root: true });
    expect(token.status).toBe(201);
    expect((await api.post('/v1/keys/rotate')).status).toBe(200);
    expect((await api.delete('/v1/secrets/events/db')).status).toBe(200);

    const events = await publishedAll(server);
    const messages = await streamMessages(nc, prefix);
    expect(messages.map((m) => m.event.position)).toEqual(events.map((e) => e.position));
    expect(messages.map((m) => m.msgId)).toEqual(events.map((e) => String(e.position)));
    expect(messages.map((m) => m.event.type)).toEqual(events.map((e) => e.type));
    for (const m of messages) expect(m.subject).toBe(`${prefix}.${m.event.env}.events.${m.event.type}`);

    const rotated = messages.find((m) => m.event.type === 'SecretRotated')?.event;
    expect(rotated).toMatchObject({ env: 'default', name: 'events/db', actor: expect.any(String), interface: 'http', data: { version: 3 } });
    expect(messages.find((m) => m.event.type === 'SecretStored' && m.event.env === 'events-prod')?.event.name).toBe('payments/key');
    expect(messages.find((m) => m.event.type === 'TokenCreated' && m.event.data.principal === 'events-service')?.event).toMatchObject({ env: '_global', data: { root: true } });

    const everything = messages.map((m) => m.text).join('\n');
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(everything).not.toContain(token.json.token);
    const sensitive = sensitiveStrings(events);
    expect(sensitive.length).toBeGreaterThan(5);
    for (const s of sensitive) expect(everything).not.toContain(s);
    for (const m of messages) {
      for (const field of ['ciphertext', 'wrappedKey', 'tokenHash', 'rewrapped', 'redactions', 'document', 'metadata']) expect(m.event.data).not.toHaveProperty(field);
    }
  }, 60_000);

  it('resumes after a restart from the last position the stream holds: nothing twice, nothing missing', async () => {
    const before = await publishedAll(server);
    const home = server.home;
    await server.server.close();
    // Written while no publisher runs: the restarted one must publish them.
    const restarted = await serveHome(home, env);
    try {
      await restarted.client.post('/v1/secrets', { name: 'events/after-restart', value: SECRET });
      const events = await publishedAll(restarted);
      expect(events.length).toBeGreaterThan(before.length);
      const messages = await streamMessages(nc, prefix);
      const positions = messages.map((m) => m.event.position);
      expect(new Set(positions).size).toBe(positions.length);
      expect(positions).toEqual(events.map((e) => e.position));
    } finally {
      await restarted.stop();
      server = await serveHome(home, env);
    }
  }, 60_000);
});
