import type { Command } from 'commander';

/** A verb group such as `audit` or `token`: created by the first use case that adds a verb to it. */
export const verbGroup = (program: Command, name: string, description: string): Command =>
  program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
