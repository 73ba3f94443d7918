import type { NatsConnection } from '@nats-io/transport-node';
import { serveHome, startTestServer, type TestServer } from '../http/http-harness.js';
import { dropSchema, freshSchemaName, testPostgresUrl, withSchema } from '../support/pg-test-db.js';
import { deleteStreams, natsConnect, NATS_URL, streamMessages, uniquePrefix } from './nats-harness.js';

/**
 * Two replicas on one PostgreSQL store both publish the one log: JetStream holds each position once,
 * in log order, whichever replica wrote the event and whichever published it first.
 */
describe('events out from two replicas', () => {
  let a: TestServer;
  let b: TestServer;
  let nc: NatsConnection;
  let prefix: string;
  let base: string;
  let schema: string;

  beforeAll(async () => {
    prefix = uniquePrefix();
    base = await testPostgresUrl();
    schema = freshSchemaName();
    const env = { STRONGROOM_STORE: withSchema(base, schema), STRONGROOM_NATS_URL: NATS_URL, STRONGROOM_NATS_PREFIX: prefix };
    a = await startTestServer(env);
    b = await serveHome(a.home, env);
    nc = await natsConnect();
  }, 60_000);

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await deleteStreams(nc, prefix);
    await nc?.close();
    await dropSchema(base, schema).catch(() => undefined);
  });

  it('publishes each position once, in log order', async () => {
    const writes = [];
    for (let i = 0; i < 20; i++) {
      const replica = i % 2 === 0 ? a : b;
      writes.push(replica.client.post('/v1/secrets', { name: `replicas/${i}`, value: `v${i}` }));
    }
    expect((await Promise.all(writes)).map((r) => r.status)).toEqual(Array(20).fill(201));
    const head = await a.server.strongroom.runtime.store.headPosition();
    await Promise.all([a.server.bus?.events.waitForPublished(head, 30_000), b.server.bus?.events.waitForPublished(head, 30_000)]);
    const events = await a.server.strongroom.runtime.store.readAll({});
    const positions = (await streamMessages(nc, prefix)).map((m) => m.event.position);
    expect(positions).toEqual(events.map((e) => e.position));
    expect(events.filter((e) => e.type === 'SecretStored').length).toBe(20);
  }, 60_000);
});
