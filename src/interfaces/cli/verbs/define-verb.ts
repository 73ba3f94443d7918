import type { Command } from 'commander';

/**
 * A subcommand with the options every verb shares. `--json` and `--env` are also program options;
 * declaring them on the verb too puts them in the verb's --help and accepts them after its arguments.
 */
export const defineVerb = (parent: Command, nameAndArgs: string, description: string, options: { env?: boolean } = {}): Command => {
  const verb = parent.command(nameAndArgs).description(description).option('--json', 'machine-readable JSON on stdout');
  return options.env === false ? verb : verb.option('--env <name>', 'environment (default: $STRONGROOM_ENV or "default")');
};

/** The value options of every verb that takes a secret value. */
export const withValueOptions = (verb: Command): Command =>
  verb
    .option('--value-file <path>', 'read the value from this file, byte for byte')
    .option('--binary', 'store the value as bytes (e.g. a DER certificate); it is returned byte for byte');
