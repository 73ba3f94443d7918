import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TokenAuthenticator } from '../access/token-authenticator.js';
import type { StrongroomOptions } from '../config/options.js';
import { localPrincipal, systemCaller, type Caller, type Principal } from '../kernel/caller.js';
import { Pipeline } from '../kernel/pipeline.js';
import type { UseCase } from '../kernel/use-case.js';
import { ResumeKeyRotations } from '../keys/commands/resume-key-rotations/resume-key-rotations.use-case.js';
import type { Clock } from '../shared/clock.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { RunLifecycleTimers } from '../secrets/commands/run-lifecycle-timers/run-lifecycle-timers.use-case.js';
import { LifecycleScheduler } from './lifecycle-scheduler.js';
import { AccessIndexWarmer } from '../compliance/access-index/index-warmer.js';
import { SignCheckpoint } from '../compliance/commands/sign-checkpoint/sign-checkpoint.use-case.js';
import { lastSigningKeyId } from '../compliance/checkpoint-log.js';
import { ErrorCode } from '../shared/errors.js';
import { SigningKeys } from '../compliance/signing-key.js';
import { ensureRootToken } from './root-token.js';
import { prepareRuntime, type StrongroomRuntime } from './runtime.js';
import { StrongroomModule } from './strongroom.module.js';

export interface BootOptions {
  readonly initialiseIfEmpty: boolean;
  readonly interface: Caller['interface'];
  readonly logger?: Logger;
  /** Time for event metadata, token expiry and key ages (tests and replays inject one). */
  readonly clock?: Clock;
  /**
   * Run the lifecycle timers (purge, expiry, warnings, rotations due) at start-up and every
   * `lifecycleIntervalMs`. Default: on for servers and the library, off for one-shot CLI verbs (a read
   * still refuses an expired secret by the clock; the next long-lived process records the events).
   */
  readonly lifecycleTimers?: boolean;
}

/** What a start that initialised an empty store reports: for the caller to show once. */
export interface Initialised {
  readonly masterKeyCreated: boolean;
  /** The root token, when this start created the token file; never logged. */
  readonly apiToken: string | null;
}

let localUser: string | null = null;

/**
 * The local operator's name: `local:<os user>`. Looked up once per process: `os.userInfo()` reads the
 * user database (getpwuid) on every call, and every library call without a caller asks for it (the
 * profile put it at about a tenth of a store's CPU time).
 */
export const localUserName = (): string => {
  if (localUser === null) {
    try {
      localUser = `local:${userInfo().username}`;
    } catch {
      localUser = 'local:unknown';
    }
  }
  return localUser;
};

/**
 * A running Strongroom: one start-up for every interface (library, CLI, HTTP, bus). `boot` prepares the
 * runtime, lets the interface create its Nest application around the kernel module (an application
 * context, or an HTTP server), resumes interrupted key rotations and makes sure the root token is
 * registered. Everything else goes through `execute`, i.e. the pipeline.
 */
export class Strongroom<App extends INestApplicationContext = INestApplicationContext> {
  private constructor(
    readonly app: App,
    readonly runtime: StrongroomRuntime,
    readonly initialised: Initialised | null,
    private readonly interfaceName: Caller['interface'],
  ) {
    this.scheduler = new LifecycleScheduler(() => this.execute(RunLifecycleTimers, {}, systemCaller('lifecycle-timers')), runtime.logger);
  }

  private readonly scheduler: LifecycleScheduler;
  /** Signed checkpoints every N events and every T ms (STRONGROOM_CHECKPOINT_*), in long-lived processes. */
  private readonly checkpointTimers: LifecycleScheduler[] = [];

  /** Starts the checkpoint timers the options ask for; each run signs only when enough happened since the last checkpoint. */
  private startCheckpointTimers(): void {
    const cp = this.runtime.options.checkpoints;
    if (!cp) return;
    const every = (ifNewEvents: number, ms: number): void => {
      const timer = new LifecycleScheduler(() => this.execute(SignCheckpoint, { ifNewEvents }, systemCaller('checkpoint-timer')), this.runtime.logger, 'the checkpoint timer');
      timer.start(ms);
      this.checkpointTimers.push(timer);
    };
    if (cp.intervalMs > 0) every(1, cp.intervalMs);
    // Counting events needs no scan: a look at the head and the checkpoint stream every 10 s.
    if (cp.everyEvents > 0) every(cp.everyEvents, 10_000);
    if (cp.intervalMs > 0 || cp.everyEvents > 0) void this.warnIfSigningKeyUnavailable();
  }

  /** Said once at start-up, rather than only by each failed signing: the key file is missing or another key. */
  private async warnIfSigningKeyUnavailable(): Promise<void> {
    try {
      this.app.get(SigningKeys).checkOnDisk(await lastSigningKeyId(this.runtime.store));
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      // Anything else (a store closing under a short-lived process) is not this warning's to report.
      if (code !== ErrorCode.KeyUnavailable) return;
      this.runtime.logger.error({ code, reason: e instanceof Error ? e.message : String(e) }, 'this process cannot sign checkpoints: its signing key is unavailable');
    }
  }

  /** Builds the access index's missing chunks in a background thread (a server: see AccessIndexWarmer). */
  private indexWarmer: { warmer: AccessIndexWarmer; timer: LifecycleScheduler } | null = null;

  /** Starts keeping the access index warm when the options ask for it (a server by default) and the store has one. */
  private startIndexWarmer(): void {
    const { accessIndex, options, store, logger } = this.runtime;
    const every = options.accessIndexWarmMs ?? 0;
    if (accessIndex === null || every <= 0 || !AccessIndexWarmer.canRun()) return;
    const warmer = new AccessIndexWarmer(store, options.store, accessIndex, logger);
    const timer = new LifecycleScheduler(() => warmer.run(), logger, 'the access index warmer');
    this.indexWarmer = { warmer, timer };
    // Not awaited: the first run may take a while on a long log, and it runs in a worker thread.
    void timer.runNow().catch(() => undefined);
    timer.start(every);
  }

  static async boot<App extends INestApplicationContext>(
    options: StrongroomOptions,
    boot: BootOptions,
    createApp: (root: DynamicModule, runtime: StrongroomRuntime) => Promise<App>,
  ): Promise<Strongroom<App>> {
    const logger = boot.logger ?? createLogger();
    const { runtime, initialised } = await prepareRuntime(options, { initialiseIfEmpty: boot.initialiseIfEmpty, logger, ...(boot.clock && { clock: boot.clock }) });
    let app: App;
    try {
      app = await createApp(StrongroomModule.forRuntime(runtime), runtime);
      // Registers the catalogue's handlers on the buses (an HTTP app would otherwise wait for listen()).
      await app.init();
    } catch (e) {
      await runtime.projection.stop().catch(() => undefined);
      await runtime.store.close().catch(() => undefined);
      throw e;
    }
    try {
      const apiToken = await ensureRootToken(runtime, initialised !== null);
      const strongroom = new Strongroom(app, runtime, initialised && { ...initialised, apiToken }, boot.interface);
      await strongroom.execute(ResumeKeyRotations, {}, systemCaller('start-up'));
      if (boot.lifecycleTimers ?? boot.interface !== 'cli') {
        // What came due while nothing ran (downtime) is recorded now; a failure here must not stop the start.
        await strongroom.scheduler.runNow().catch(() => undefined);
        strongroom.scheduler.start(options.lifecycleIntervalMs ?? 60_000);
        strongroom.startCheckpointTimers();
        strongroom.startIndexWarmer();
      }
      return strongroom;
    } catch (e) {
      await app.close();
      throw e;
    }
  }

  /** Strongroom without a server: the library and the CLI. */
  static open(options: StrongroomOptions, boot: BootOptions): Promise<Strongroom> {
    return Strongroom.boot(options, boot, (root) => NestFactory.createApplicationContext(root, { logger: false, abortOnError: false }));
  }

  get options(): StrongroomOptions {
    return this.runtime.options;
  }

  get pipeline(): Pipeline {
    return this.app.get(Pipeline);
  }

  /** Runs a use case through the pipeline; by default as the local operator (root: they hold the master key). */
  execute<Input, Result>(useCase: UseCase<Input, Result>, input: unknown, caller: Caller = this.caller()): Promise<Result> {
    return this.pipeline.execute(useCase, input, caller);
  }

  /** A caller on this interface: the given principal, or the local operator. */
  caller(principal: Principal = localPrincipal(localUserName())): Caller {
    return { principal, interface: this.interfaceName, correlationId: randomUUID() };
  }

  /**
   * The principal a token authenticates as on this store, looked for again after catching up with the
   * log when unknown here (failures recorded, then UNAUTHENTICATED).
   */
  authenticate(token: string): Promise<Principal> {
    return this.app.get(TokenAuthenticator).authenticateFresh({ token, interface: this.interfaceName, client: null });
  }

  /**
   * Records whatever lifecycle work is due now (as the system principal, through the pipeline), e.g.
   * after a test advanced its clock; joins a run in flight. @throws what the run throws.
   */
  runLifecycleTimers(): Promise<void> {
    return this.scheduler.runNow();
  }

  async close(): Promise<void> {
    await this.scheduler.stop();
    for (const timer of this.checkpointTimers) await timer.stop();
    this.indexWarmer?.warmer.stop();
    await this.indexWarmer?.timer.stop();
    return this.app.close();
  }
}
