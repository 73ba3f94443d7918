import { Command, Help, Option } from 'commander';
import { CATALOGUE } from '../../catalogue.js';
import { ErrorCode } from '../../shared/errors.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import type { Output } from './output.js';
import { jsonError } from './report-error.js';
import { CliContext, type CliVerb, type GlobalOptions } from './session.js';
import { importVerb } from '../../secrets/import/import.cli.verb.js';
import { VERSION_OPTION } from './version-option.js';
import { completionVerb } from './verbs/completion.verb.js';
import { initVerb } from './verbs/init.verb.js';
import { serveVerb } from './verbs/serve.verb.js';

/**
 * Verbs of the CLI itself, not of one use case: creating a home, running the server, importing (many
 * StoreSecret / UpdateSecret calls, each through the pipeline), and shell completion.
 */
const INTERFACE_VERBS: readonly CliVerb[] = [initVerb, serveVerb, importVerb, completionVerb];

/** `--version` in the program's help only: main.ts answers it (see version-option.ts for why). */
const withVersionInHelp = (program: Command): Command =>
  program.configureHelp({
    visibleOptions: (command) => [
      ...new Help().visibleOptions(command),
      ...(command === program ? [new Option(VERSION_OPTION.flags.join(', '), VERSION_OPTION.description)] : []),
    ],
  });

/** The `strongroom` program: its own verbs, then every use case's verbs from the catalogue. */
export const buildProgram = (output: Output): Command => {
  const program = new Command('strongroom')
    .description('Strongroom: an event-sourced secrets service, where the audit log is the database.')
    .option('--home <dir>', 'Strongroom home (default: $STRONGROOM_HOME or ~/.strongroom)')
    .option('--store <url>', 'event store URL (default: sqlite:<home>/strongroom.db)')
    .option('--env <name>', 'environment (default: $STRONGROOM_ENV or "default")')
    .option('--json', 'machine-readable JSON on stdout')
    .option('--addr <url>', 'use a running server instead of the local store: http(s)://host:port or nats://host:4222 (default: $STRONGROOM_ADDR; the token comes from $STRONGROOM_TOKEN)')
    // Set before the verbs are added, so they inherit it: failures come back to main() as exceptions,
    // where exit-codes.ts turns them into a status, instead of commander exiting on its own.
    .exitOverride()
    .configureOutput({
      outputError: (message, write) => (output.json ? output.writeOut(jsonError(ErrorCode.InvalidInput, message.replace(/^error: /, '').trim())) : write(message)),
    })
    .showHelpAfterError('(run `strongroom help` for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .hook('preAction', (_program, verb) => {
      output.json = Boolean(verb.optsWithGlobals<GlobalOptions>().json);
    });
  withVersionInHelp(program);
  const cli = new CliContext(output);
  for (const register of [...INTERFACE_VERBS, ...CATALOGUE.flatMap((slice) => slice.cli ?? [])]) register(program, cli);
  return program;
};
