import { jetstream } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { serveHome, startTestServer, type TestServer } from '../http/http-harness.js';
import { deleteStreams, natsConnect, NATS_URL, uniquePrefix } from './nats-harness.js';

/**
 * The durable work queue on the real NATS server: Strongroom stopped, commands queued (one of them sent
 * twice with one idempotency key, as a redelivery would), Strongroom restarted: each command is executed
 * exactly once, in order, and its reply reaches the `reply-to` subject.
 */
describe('commands queued while Strongroom is down', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let prefix: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    prefix = uniquePrefix();
    env = { STRONGROOM_NATS_URL: NATS_URL, STRONGROOM_NATS_PREFIX: prefix };
    // A first start creates the queue; then Strongroom goes down.
    server = await startTestServer(env);
    nc = await natsConnect();
  });

  afterAll(async () => {
    await server?.stop();
    await deleteStreams(nc, prefix);
    await nc?.close();
  });

  it('executes each queued command exactly once when Strongroom returns', async () => {
    const home = server.home;
    const token = server.client.token;
    await server.server.close();

    const replies: unknown[] = [];
    const inbox = `${prefix}.replies`;
    const sub = nc.subscribe(inbox, { callback: (_e, m) => {
        replies.push(m.json());
      } });
    const js = jetstream(nc);
    const queue = async (useCase: string, payload: unknown, key?: string, auth = token): Promise<void> => {
      const h = natsHeaders();
      h.set('authorization', `Bearer ${auth}`);
      h.set('reply-to', inbox);
      if (key) h.set('idempotency-key', key);
      await js.publish(`${prefix}.queue.default.cmd.${useCase}`, JSON.stringify(payload), { headers: h });
    };
    await queue('StoreSecret', { name: 'queued/a', value: 'a1' }, 'queued-a');
    await queue('StoreSecret', { name: 'queued/a', value: 'a1' }, 'queued-a'); // the same command again
    await queue('StoreSecret', { name: 'queued/b', value: 'b1' });
    await queue('RotateSecret', { ref: 'queued/b', value: 'b2' }, 'queued-b-rotate');
    await queue('StoreSecret', { name: 'queued/denied', value: 'x' }, undefined, 'not-a-token');

    const restarted = await serveHome(home, env);
    server = restarted;
    const deadline = Date.now() + 30_000;
    while (replies.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    sub.unsubscribe();
    expect(replies).toHaveLength(5);
    const [first, second, third, fourth, fifth] = replies as { result?: { id?: string; version?: number }; error?: { code: string } }[];
    expect(second).toEqual(first);
    expect(first?.result).toMatchObject({ name: 'queued/a', version: 1 });
    expect(third?.result).toMatchObject({ name: 'queued/b', version: 1 });
    expect(fourth?.result).toMatchObject({ name: 'queued/b', version: 2 });
    expect(fifth?.error?.code).toBe('UNAUTHENTICATED');

    const events = await restarted.server.strongroom.runtime.store.readAll({});
    const stored = events.filter((e) => e.type === 'SecretStored').map((e) => (e.data as { name: string }).name);
    expect(stored.filter((n) => n.startsWith('queued/')).sort()).toEqual(['queued/a', 'queued/b']);
    expect(events.filter((e) => e.type === 'SecretRotated')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'SecretStored' && (e.data as { name: string }).name.startsWith('queued/')).every((e) => e.metadata.interface === 'bus')).toBe(true);
    expect((await restarted.client.get('/v1/secrets/queued/b')).json.value).toBe('b2');
  }, 90_000);
});
