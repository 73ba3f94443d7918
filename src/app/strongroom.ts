import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { StrongroomOptions } from '../config/options.js';
import type { Clock } from '../shared/clock.js';
import { createLogger, type Logger } from '../shared/logger.js';
import type { RequestContext } from '../shared/request-context.js';
import { startStrongroom, StrongroomModule } from './strongroom.module.js';
import { prepareRuntime, type Initialised, type StrongroomRuntime } from './strongroom-runtime.js';

export interface OpenOptions {
  readonly initialiseIfEmpty: boolean;
  readonly interface: RequestContext['interface'];
  readonly logger?: Logger;
  /** Time for event metadata and key ages (tests and replays inject one). */
  readonly clock?: Clock;
}

const localUser = (): string => {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
};

/** A Strongroom process without HTTP: the CLI and the library drive the same buses through this. */
export class Strongroom {
  private constructor(
    private readonly app: INestApplicationContext,
    readonly runtime: StrongroomRuntime,
    readonly initialised: Initialised | null,
    private readonly interfaceName: RequestContext['interface'],
  ) {}

  static async open(options: StrongroomOptions, open: OpenOptions): Promise<Strongroom> {
    const logger = open.logger ?? createLogger();
    const { runtime, initialised } = await prepareRuntime(options, { initialiseIfEmpty: open.initialiseIfEmpty, logger, ...(open.clock && { clock: open.clock }) });
    let app: INestApplicationContext;
    try {
      app = await NestFactory.createApplicationContext(StrongroomModule.forRuntime(runtime), { logger: false, abortOnError: false });
    } catch (e) {
      await runtime.store.close();
      throw e;
    }
    try {
      await startStrongroom(app);
    } catch (e) {
      await app.close();
      throw e;
    }
    return new Strongroom(app, runtime, initialised, open.interface);
  }

  get options(): StrongroomOptions {
    return this.runtime.options;
  }

  get commandBus(): CommandBus {
    return this.app.get(CommandBus);
  }

  get queryBus(): QueryBus {
    return this.app.get(QueryBus);
  }

  context(actor?: string): RequestContext {
    return { actor: actor ?? `local:${localUser()}`, interface: this.interfaceName, correlationId: randomUUID() };
  }

  close(): Promise<void> {
    return this.app.close();
  }
}
