import type { Command } from 'commander';
import { Strongroom } from '../../bootstrap/strongroom.js';
import { resolveOptions, type StrongroomOptions } from '../../config/options.js';
import type { UseCase } from '../../kernel/use-case.js';
import { createLogger, type Logger } from '../../shared/logger.js';
import type { Output } from './output.js';

/** Options every verb accepts (declared on the program; commander finds them before or after the verb). */
export interface GlobalOptions {
  readonly home?: string;
  readonly store?: string;
  readonly json?: boolean;
  readonly env?: string;
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

  /** Opens the store, runs one use case, closes. Refuses an uninitialised home (only `init` creates one). */
  run<Input, Result>(command: Command, useCase: UseCase<Input, Result>, input: Readonly<Record<string, unknown>>): Promise<Result> {
    return this.withStrongroom(command, (strongroom) => strongroom.execute(useCase, input));
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
