import type { INestApplication } from '@nestjs/common';
import { TokenAuthenticator } from '../../access/token-authenticator.js';
import type { StrongroomRuntime } from '../../bootstrap/runtime.js';
import { CATALOGUE } from '../../catalogue.js';
import { Pipeline } from '../../kernel/pipeline.js';
import type { UseCase } from '../../kernel/use-case.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { BusAdapter } from './bus-adapter.js';
import { CommandQueue } from './command-queue.js';
import { EventPublisher } from './events/event-publisher.js';
import { StrongroomNatsServer } from './nats-bus-server.js';

/**
 * The use cases the bus offers: those the HTTP API offers (a route in the catalogue), so a service can do
 * on the bus everything it can over HTTP. The three without routes are start-up and local work
 * (ResumeKeyRotations, RunLifecycleTimers, CopyStore): the server runs them itself.
 */
export const busUseCases = (): readonly UseCase[] => CATALOGUE.filter((s) => (s.useCase.http ?? []).length > 0).map((s) => s.useCase as UseCase);

export interface BusSettings {
  readonly url: string;
  readonly prefix: string;
}

/**
 * Starts the bus interface beside HTTP (`serve --nats URL`): request-reply on every use case's subject
 * through @nestjs/microservices' NATS transport, in the queue group `<prefix>.commands` so replicas share
 * requests. Loaded only when a NATS URL is configured (serve-http imports this module dynamically).
 */
/** The running bus: its event publisher, and how to stop both (before the app closes). */
export interface AttachedBus {
  readonly events: EventPublisher;
  close(): Promise<void>;
}

export const attachBus = async (app: INestApplication, runtime: StrongroomRuntime, settings: BusSettings, logger: Logger): Promise<AttachedBus> => {
  const adapter = new BusAdapter({
    pipeline: app.get(Pipeline),
    authenticator: app.get(TokenAuthenticator),
    waitFor: (position) => runtime.projection.waitFor(position, runtime.options.readWaitTimeoutMs),
    onHandled: (useCase, outcome, seconds) => {
      runtime.metrics.busMessages.inc({ use_case: useCase, outcome });
      runtime.metrics.busDuration.observe({ use_case: useCase }, seconds);
    },
  });
  // Reconnect for ever: an outage of NATS is waited out, never a reason to stop serving HTTP.
  const server = new StrongroomNatsServer({ servers: settings.url, queue: `${settings.prefix}.commands`, name: 'strongroom', maxReconnectAttempts: -1 }, logger, settings.prefix);
  server.addUseCases(settings.prefix, busUseCases(), adapter);
  app.connectMicroservice({ strategy: server });
  try {
    await app.startAllMicroservices();
  } catch (e) {
    // The URL may carry credentials (nats://user:pass@host): the message names the host only.
    throw new StrongroomError(ErrorCode.BusUnavailable, `cannot connect to the NATS server at ${hostOf(settings.url)}; is it running?`, {}, { cause: e });
  }
  let events: EventPublisher | undefined;
  let queue: CommandQueue;
  let nc: NatsConnection | undefined;
  try {
    nc = await connect({ servers: settings.url, name: 'strongroom-jetstream', maxReconnectAttempts: -1 });
    events = await EventPublisher.start(nc, runtime.store, settings.prefix, logger, (n) => runtime.metrics.busEventsPublished.inc(n));
    queue = await CommandQueue.start(nc, settings.prefix, busUseCases(), adapter, logger);
  } catch (e) {
    await events?.stop().catch(() => undefined);
    await nc?.close().catch(() => undefined);
    await server.close().catch(() => undefined);
    throw new StrongroomError(ErrorCode.BusUnavailable, `cannot use JetStream at ${hostOf(settings.url)}; is it running with -js?`, {}, { cause: e });
  }
  logger.info({ nats: hostOf(settings.url), prefix: settings.prefix }, 'bus listening');
  const connection = nc;
  const publisher = events;
  return {
    events: publisher,
    close: async () => {
      await queue.stop();
      await publisher.stop();
      await connection.drain().catch(() => undefined);
    },
  };
};

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured URL';
  }
};
