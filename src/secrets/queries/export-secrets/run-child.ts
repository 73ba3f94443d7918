import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/**
 * Signals passed on to the child. SIGINT and SIGQUIT typed at a terminal already reach the whole
 * foreground process group, child included, so they are forwarded only when stdin is not a terminal
 * (a supervisor sending them to us alone); forwarding them then too would deliver them twice.
 */
const ALWAYS_FORWARDED: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];
const TERMINAL_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGQUIT'];

/**
 * Runs `command` with `args` and exactly `env`, stdio inherited, until it ends.
 * @returns its exit status; when a signal ended it, 128 + the signal's number (the shell's convention);
 *   127 when the command is not found and 126 when it cannot be run (POSIX shell, 2.8.2).
 */
export const runChild = (command: string, args: readonly string[], env: NodeJS.ProcessEnv, warn: (text: string) => void): Promise<number> =>
  new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: 'inherit' });
    const forwarded = process.stdin.isTTY ? ALWAYS_FORWARDED : [...ALWAYS_FORWARDED, ...TERMINAL_SIGNALS];
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    for (const signal of forwarded) process.on(signal, forward);
    // A terminal's Ctrl-C reaches the child itself; this process stays to report how the child ended.
    const ignore = (): void => undefined;
    if (process.stdin.isTTY) for (const signal of TERMINAL_SIGNALS) process.on(signal, ignore);
    const done = (status: number): void => {
      for (const signal of forwarded) process.off(signal, forward);
      for (const signal of TERMINAL_SIGNALS) process.off(signal, ignore);
      resolve(status);
    };
    child.once('error', (e: NodeJS.ErrnoException) => {
      warn(`strongroom run: cannot run ${command}: ${e.code === 'ENOENT' ? 'command not found' : (e.code ?? e.message)}`);
      done(e.code === 'ENOENT' ? 127 : 126);
    });
    child.once('exit', (code, signal) => done(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1)));
  });
