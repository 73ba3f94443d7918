import type { CompletionOption } from './completion/command-tree.js';

/**
 * `strongroom --version` (or `-V`), alone or with `--json`. It is read from the raw words rather than
 * declared on the commander program: commander takes a program option from anywhere on the line, and
 * `get-secret NAME --version 2` means version 2 of a secret.
 *
 * @param args the words after `strongroom` (process.argv.slice(2)).
 */
export const asksForVersion = (args: readonly string[]): boolean => {
  const rest = args.filter((word) => word !== '--json');
  return rest.length === 1 && (rest[0] === '--version' || rest[0] === '-V');
};

/** How `--version` shows in `strongroom --help` and in shell completion. */
export const VERSION_OPTION: CompletionOption = {
  flags: ['-V', '--version'],
  description: "print Strongroom's version (the package version)",
  takesValue: false,
  valueIsPath: false,
};
