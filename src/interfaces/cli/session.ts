import type { Command } from 'commander';
import { Strongroom } from '../../bootstrap/strongroom.js';
import { resolveOptions, type StrongroomOptions } from '../../config/options.js';
import type { UseCase } from '../../kernel/use-case.js';
import { createLogger, type Logger } from '../../shared/logger.js';
import type { Output } from './output.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { StrongroomClient } from '../../client/strongroom-client.js';
import { localOnly, RemoteRunner, type RemoteTarget, type UseCaseRunner } from './remote.js';

/** Options every verb accepts (declared on the program; commander finds them before or after the verb). */
export interface GlobalOptions {
  readonly home?: string;
  readonly store?: string;
  readonly json?: boolean;
  readonly env?: string;
  readonly addr?: string;
}

/**
 * pino on stderr; quiet unless something is wrong, so stdout and the terminal stay for the answer. JSON
 * lines for machines (`--json`, and `serve`, whose logs are shipped), plain lines for people otherwise.
 */
export const cliLogger = (defaultLevel: 'warn' | 'info' = 'warn', human = false): Logger =>
  createLogger({ level: process.env.STRONGROOM_LOG_LEVEL ?? defaultLevel, human });

/**
 * What a verb needs: where its answer goes, the configuration (resolved once, here, from the flags and
 * the environment), and a way to run a use case through the pipeline as this CLI's principal.
 */
export class CliContext {
  constructor(readonly output: Output) {}

  options(command: Command): StrongroomOptions {
    const { home, store } = command.optsWithGlobals<GlobalOptions>();
    return resolveOptions({ env: process.env, home, store });
  }

  /** `--env`, else STRONGROOM_ENV, else `default`. */
  env(command: Command): string {
    return command.optsWithGlobals<GlobalOptions>().env ?? process.env.STRONGROOM_ENV ?? 'default';
  }

  /**
   * The server this CLI is a client of (`--addr` / STRONGROOM_ADDR, with STRONGROOM_TOKEN), or null to
   * work on the local store. @throws UNAUTHENTICATED when an address is given without a token
   */
  remote(command: Command): RemoteTarget | null {
    const addr = command.optsWithGlobals<GlobalOptions>().addr ?? process.env.STRONGROOM_ADDR;
    if (addr === undefined || addr === '') return null;
    const token = process.env.STRONGROOM_TOKEN;
    if (token === undefined || token === '') throw new StrongroomError(ErrorCode.Unauthenticated, 'a remote server (--addr / STRONGROOM_ADDR) needs a token: set STRONGROOM_TOKEN');
    return { addr, token, ...(process.env.STRONGROOM_NATS_PREFIX && { prefix: process.env.STRONGROOM_NATS_PREFIX }) };
  }

  /** Refuses remote mode for a verb that needs the local store or the master key. */
  localOnly(command: Command, verb: string): void {
    if (this.remote(command) !== null) throw localOnly(verb);
  }

  /** Runs one use case: on the server of --addr, or on the local store (opened, then closed; never initialised). */
  run<Input, Result>(command: Command, useCase: UseCase<Input, Result>, input: Readonly<Record<string, unknown>>): Promise<Result> {
    return this.withRunner(command, (runner) => runner.execute(useCase, input));
  }

  /** Runs several use cases against one runner: the remote server of --addr, or the local store. */
  async withRunner<T>(command: Command, work: (runner: UseCaseRunner) => Promise<T>): Promise<T> {
    const target = this.remote(command);
    if (target === null) return this.withStrongroom(command, work);
    const runner = await RemoteRunner.connect(target);
    try {
      return await work(runner);
    } finally {
      await runner.close();
    }
  }

  /**
   * For a verb that streams (`audit report`, `audit export`): with --addr, runs `remote` with the SDK
   * client of that server (connected, then closed) and answers true; without, answers false and the
   * verb runs on the local store.
   */
  async streamRemotely(command: Command, remote: (client: StrongroomClient) => Promise<void>): Promise<boolean> {
    const target = this.remote(command);
    if (target === null) return false;
    const runner = await RemoteRunner.connect(target);
    try {
      await runner.stream(remote);
    } finally {
      await runner.close();
    }
    return true;
  }

  /**
   * Opens the store for one verb, runs it, closes. Every verb but `init` and `serve` refuses an
   * uninitialised store, so a mistyped --home is an error rather than a new, empty store.
   */
  async withStrongroom<T>(
    command: Command,
    work: (strongroom: Strongroom) => Promise<T>,
    open: { readonly initialiseIfEmpty: boolean } = { initialiseIfEmpty: false },
  ): Promise<T> {
    // A verb that opens the store itself never does so silently beside an --addr it was given.
    this.localOnly(command, open.initialiseIfEmpty ? 'initialising a store' : `\`${verbName(command)}\``);
    const strongroom = await Strongroom.open(this.options(command), { initialiseIfEmpty: open.initialiseIfEmpty, interface: 'cli', logger: cliLogger('warn', !this.output.json) });
    try {
      return await work(strongroom);
    } finally {
      await strongroom.close();
    }
  }
}

/** How a use case folder adds its verb(s) to the `strongroom` program. */
export type CliVerb = (program: Command, cli: CliContext) => void;

/** A verb's name as typed: `get-secret`, or `audit report` for a verb of a group. */
const verbName = (command: Command): string =>
  command.parent?.parent ? `${command.parent.name()} ${command.name()}` : command.name();
