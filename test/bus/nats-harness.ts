import { randomBytes } from 'node:crypto';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { startTestServer, type TestServer } from '../http/http-harness.js';

/**
 * The real NATS server with JetStream on this machine (127.0.0.1:4222; .ci/run starts it). Tests FAIL
 * when it is missing; they never skip. Each test file uses its own subject prefix (and so its own
 * JetStream streams), so files running in parallel never see each other's messages.
 */
export const NATS_URL = process.env.STRONGROOM_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** A fresh subject prefix, e.g. `t3f9a1c2d`. */
export const uniquePrefix = (): string => `t${randomBytes(5).toString('hex')}`;

export const natsConnect = (): Promise<NatsConnection> => connect({ servers: NATS_URL, name: 'strongroom-test' });

export interface BusAnswer {
  readonly result?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly error?: { readonly code: string; readonly message: string };
}

/** One request-reply as any service would send it: JSON payload, the token in a header. */
export const busRequest = async (nc: NatsConnection, subject: string, payload: unknown, headers: Record<string, string> = {}, timeout = 20_000): Promise<BusAnswer> => {
  const h = natsHeaders();
  for (const [k, v] of Object.entries(headers)) h.set(k, v);
  const reply = await nc.request(subject, typeof payload === 'string' ? payload : JSON.stringify(payload), { timeout, headers: h });
  return reply.json<BusAnswer>();
};

/** Every message the events stream of `prefix` holds, in stream order, with its subject and headers. */
export const streamMessages = async (nc: NatsConnection, prefix: string): Promise<{ subject: string; msgId: string; text: string; event: any }[]> => { // eslint-disable-line @typescript-eslint/no-explicit-any
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const jsm = await jetstreamManager(nc);
  const name = `${prefix.toUpperCase()}_EVENTS`;
  const info = await jsm.streams.info(name);
  const out = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(name, { seq });
    if (!m) continue;
    const text = new TextDecoder().decode(m.data);
    out.push({ subject: m.subject, msgId: m.header.get('Nats-Msg-Id'), text, event: JSON.parse(text) });
  }
  return out;
};

/** Removes a test's streams (events and command queue), so the NATS server's disk does not fill up. */
export const deleteStreams = async (nc: NatsConnection, prefix: string): Promise<void> => {
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const jsm = await jetstreamManager(nc);
  for (const name of [`${prefix.toUpperCase()}_EVENTS`, `${prefix.toUpperCase()}_COMMANDS`]) await jsm.streams.delete(name).catch(() => undefined);
};

/** What useBusServer sets up for a suite: a real server on the bus, a NATS connection, the prefix, the root token's header. */
export interface BusServer {
  readonly server: TestServer;
  readonly nc: NatsConnection;
  readonly prefix: string;
  readonly auth: Record<string, string>;
}

/**
 * A suite's real `strongroom` server with the bus on a fresh subject prefix, and a NATS connection; handed
 * to `assign` before the suite's tests run, stopped (and its JetStream streams deleted) after them.
 */
export const useBusServer = (assign: (bus: BusServer) => void, env: Record<string, string> = {}): void => {
  let bus: BusServer | undefined;
  beforeAll(async () => {
    const prefix = uniquePrefix();
    const server = await startTestServer({ STRONGROOM_NATS_URL: NATS_URL, STRONGROOM_NATS_PREFIX: prefix, ...env });
    bus = { server, nc: await natsConnect(), prefix, auth: { authorization: `Bearer ${server.client.token}` } };
    assign(bus);
  });
  afterAll(async () => {
    await bus?.server.stop();
    if (bus) await deleteStreams(bus.nc, bus.prefix);
    await bus?.nc.close();
  });
};
