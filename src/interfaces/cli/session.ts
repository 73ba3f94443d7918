import type { Command } from 'commander';
import { Strongroom } from '../../app/strongroom.js';
import { resolveOptions, type StrongroomOptions } from '../../config/options.js';
import { createLogger, type Logger } from '../../shared/logger.js';

/** Options every verb accepts (declared on the program; commander finds them before or after the verb). */
export interface GlobalOptions {
  readonly home?: string;
  readonly store?: string;
  readonly json?: boolean;
}

/** Configuration is resolved once, here, from the flags and the environment. */
export const optionsOf = (command: Command): StrongroomOptions => {
  const { home, store } = command.optsWithGlobals<GlobalOptions>();
  return resolveOptions({ env: process.env, home, store });
};

/** pino on stderr; quiet unless something is wrong, so stdout and the terminal stay for the answer. */
export const cliLogger = (defaultLevel: 'warn' | 'info' = 'warn'): Logger =>
  createLogger({ level: process.env.STRONGROOM_LOG_LEVEL ?? defaultLevel });

/**
 * Opens the store for one verb, runs it, closes. Every verb but `init` and `serve` refuses an
 * uninitialised store, so a mistyped --home is an error rather than a new, empty store.
 */
export const withStrongroom = async (
  command: Command,
  work: (strongroom: Strongroom) => Promise<void>,
  open: { readonly initialiseIfEmpty: boolean } = { initialiseIfEmpty: false },
): Promise<void> => {
  const options = optionsOf(command);
  const strongroom = await Strongroom.open(options, { initialiseIfEmpty: open.initialiseIfEmpty, interface: 'cli', logger: cliLogger() });
  try {
    await work(strongroom);
  } finally {
    await strongroom.close();
  }
};
