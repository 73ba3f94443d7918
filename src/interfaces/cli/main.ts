import { ExitCode, exitCodeOf } from './exit-codes.js';
import { Output } from './output.js';
import { reportError } from './report-error.js';
import { asksForVersion } from './version-option.js';
import { STRONGROOM_VERSION } from '../../shared/version.js';

// Usage errors happen before commander has parsed anything, so --json is looked for in the raw words
// (up to `--`, after which everything is an operand). Once a verb runs, program.ts uses the parsed flag.
const wantsJson = (args: readonly string[]): boolean => {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
};

/**
 * Runs one `strongroom` invocation (`argv` as in process.argv) and answers its exit code: an ExitCode,
 * or for `strongroom run` the program's own status.
 */
export const main = async (argv: readonly string[]): Promise<number> => {
  const output = new Output(wantsJson(argv.slice(2)));
  if (asksForVersion(argv.slice(2))) {
    output.result({ version: STRONGROOM_VERSION }, () => STRONGROOM_VERSION);
    return ExitCode.Ok;
  }
  try {
    // Loaded only past --version: the program imports the whole catalogue, and with it NestJS (~0.7 s of
    // CPU), which `--version` does not need.
    const { buildProgram } = await import('./program.js');
    await buildProgram(output).parseAsync([...argv]);
    return output.exitStatus ?? ExitCode.Ok;
  } catch (error) {
    reportError(error, output);
    return exitCodeOf(error);
  }
};

/** The process entry point, called by bin/strongroom.js. */
export const run = async (): Promise<void> => {
  // `strongroom --help | head`: the reader has gone, so the rest of the output has nowhere to go. End as
  // a shell pipeline expects (quietly) instead of crashing on an unhandled EPIPE.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  process.exitCode = await main(process.argv);
  // Everything the verb opened is closed by now; a handle a dependency left behind must not keep a
  // finished command hanging (the unref'd timer fires only if something else holds the process open).
  setTimeout(() => process.exit(), 2000).unref();
};
