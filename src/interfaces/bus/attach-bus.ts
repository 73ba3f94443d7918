import type { INestApplication } from '@nestjs/common';
import { TokenAuthenticator } from '../../access/token-authenticator.js';
import type { StrongroomRuntime } from '../../bootstrap/runtime.js';
import { CATALOGUE } from '../../catalogue.js';
import { Pipeline } from '../../kernel/pipeline.js';
import type { UseCase } from '../../kernel/use-case.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { BusAdapter } from './bus-adapter.js';
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
export const attachBus = async (app: INestApplication, runtime: StrongroomRuntime, settings: BusSettings, logger: Logger): Promise<void> => {
  const adapter = new BusAdapter({
    pipeline: app.get(Pipeline),
    authenticator: app.get(TokenAuthenticator),
    waitFor: (position) => runtime.projection.waitFor(position, runtime.options.readWaitTimeoutMs),
  });
  const server = new StrongroomNatsServer({ servers: settings.url, queue: `${settings.prefix}.commands`, name: 'strongroom' }, logger);
  server.addUseCases(settings.prefix, busUseCases(), adapter);
  app.connectMicroservice({ strategy: server });
  try {
    await app.startAllMicroservices();
  } catch (e) {
    // The URL may carry credentials (nats://user:pass@host): the message names the host only.
    throw new StrongroomError(ErrorCode.BusUnavailable, `cannot connect to the NATS server at ${hostOf(settings.url)}; is it running?`, {}, { cause: e });
  }
  logger.info({ nats: hostOf(settings.url), prefix: settings.prefix }, 'bus listening');
};

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured URL';
  }
};
