import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { resolveOptions } from '../src/config/options.js';
import { eventStreamName, commandQueueStreamName } from '../src/interfaces/bus/bus-subjects.js';
import { serveHttp, type HttpServer } from '../src/interfaces/http/serve-http.js';
import { StoreSecret } from '../src/secrets/commands/store-secret/store-secret.use-case.js';
import { createLogger } from '../src/shared/logger.js';
import { percentile } from './postgres.bench.js';
import { concurrently, withHome } from './strongroom.bench.js';
import { median } from './table.js';

/**
 * The bus (issue 8), on the NATS server of this machine (STRONGROOM_BENCH_NATS_URL, default
 * nats://127.0.0.1:4222): StoreSecret by request-reply beside raw NATS request-reply of the same payload
 * size to a responder that does nothing, both with the same callers in the same run; and events
 * published to JetStream per second while StoreSecret runs at full speed through the library path.
 */
const NATS_URL = process.env.STRONGROOM_BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const VALUE = 'x'.repeat(32);
const quiet = createLogger({ silent: true });

export interface RequestReplyFigures {
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
}

const timed = async (callers: number, total: number, op: (i: number) => Promise<void>): Promise<RequestReplyFigures> => {
  const latencies: number[] = new Array(total);
  const rate = await concurrently(callers, total, async (i) => {
    const t0 = process.hrtime.bigint();
    await op(i);
    latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  });
  return { rate, p50: median(latencies), p99: percentile(latencies, 99) };
};

const withBusServer = async <T>(f: (server: HttpServer, prefix: string, nc: NatsConnection) => Promise<T>): Promise<T> =>
  withHome(async (home) => {
    const prefix = `bench${randomBytes(4).toString('hex')}`;
    const options = resolveOptions({ env: { STRONGROOM_PORT: '0', STRONGROOM_NATS_URL: NATS_URL, STRONGROOM_NATS_PREFIX: prefix }, home });
    const server = await serveHttp(options, { logger: quiet, initialiseIfEmpty: true });
    const nc = await connect({ servers: NATS_URL, name: 'strongroom-bench' });
    try {
      return await f(server, prefix, nc);
    } finally {
      await server.close();
      const jsm = await jetstreamManager(nc);
      for (const name of [eventStreamName(prefix), commandQueueStreamName(prefix)]) await jsm.streams.delete(name).catch(() => undefined);
      await nc.close();
    }
  });

/** StoreSecret over the bus vs raw request-reply of the same bytes, `callers` in flight each. */
export const benchBusRequestReply = (total: number, callers: number): Promise<{ bus: RequestReplyFigures; raw: RequestReplyFigures }> =>
  withBusServer(async (server, prefix, nc) => {
    const token = server.initialised?.apiToken ?? '';
    const h = natsHeaders();
    h.set('authorization', `Bearer ${token}`);
    const payload = (i: number): string => JSON.stringify({ name: `bus-bench-${i}`, value: VALUE });
    // A reply of the size Strongroom's is, from a responder that does no work.
    const sampleReply = JSON.stringify({ result: { id: '00000000-0000-4000-8000-000000000000', name: 'bus-bench-0000', env: 'default', version: 1, position: 123456 } });
    const raw = nc.subscribe(`${prefix}.raw`, { callback: (_e, m) => void m.respond(sampleReply) });
    try {
      const warm = Math.min(1000, total);
      for (let i = 0; i < warm; i++) await nc.request(`${prefix}.raw`, payload(-i - 1), { timeout: 30_000, headers: h });
      const rawFigures = await timed(callers, total, async (i) => {
        await nc.request(`${prefix}.raw`, payload(i), { timeout: 30_000, headers: h });
      });
      const subject = `${prefix}.default.cmd.StoreSecret`;
      const busFigures = await timed(callers, total, async (i) => {
        const reply = (await nc.request(subject, payload(i), { timeout: 30_000, headers: h })).json<{ error?: { code: string } }>();
        if (reply.error) throw new Error(`the bus refused a store: ${reply.error.code}`);
      });
      return { bus: busFigures, raw: rawFigures };
    } finally {
      raw.unsubscribe();
    }
  });

/**
 * Events out while storing at full speed: stores through the library path (64 callers) with the bus
 * attached, then the time until JetStream holds every event. Baseline: the rate the events were
 * committed at, in the same run.
 */
export const benchEventsOut = (total: number, callers: number): Promise<{ published: number; committed: number }> =>
  withBusServer(async (server) => {
    const strongroom = server.strongroom;
    const publisher = server.bus?.events;
    if (!publisher) throw new Error('the bus did not start');
    const t0 = process.hrtime.bigint();
    const before = await strongroom.runtime.store.headPosition();
    const committed = await concurrently(callers, total, async (i) => {
      await strongroom.execute(StoreSecret, { name: `events-bench-${i}`, value: VALUE });
    });
    const head = await strongroom.runtime.store.headPosition();
    await publisher.waitForPublished(head, 600_000);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { published: (head - before) / seconds, committed: (committed * (head - before)) / total };
  });
