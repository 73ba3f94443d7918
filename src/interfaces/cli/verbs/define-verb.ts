import type { Command } from 'commander';

/**
 * A subcommand with the options every verb shares. `--json` is also a program option; declaring it on
 * the verb too puts it in the verb's --help and accepts it after the verb's arguments.
 */
export const defineVerb = (parent: Command, nameAndArgs: string, description: string): Command =>
  parent.command(nameAndArgs).description(description).option('--json', 'machine-readable JSON on stdout');
