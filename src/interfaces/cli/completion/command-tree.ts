import type { Command, Option } from 'commander';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';

/** One option as completion sees it: its spellings, what it is for, and what its value is. */
export interface CompletionOption {
  /** e.g. `['--env']`, `['-h', '--help']`. */
  readonly flags: readonly string[];
  readonly description: string;
  /** Whether the next word is the option's value (`--env <name>`), not a verb or another option. */
  readonly takesValue: boolean;
  /** Whether that value is a file or directory (`<path>`, `<file>`, `<dir>`): completed from the file system. */
  readonly valueIsPath: boolean;
}

/** A command (the program, a verb group such as `token`, or a verb) with what may follow it. */
export interface CompletionNode {
  readonly name: string;
  readonly description: string;
  /** Its own options, its ancestors' (commander accepts the program's options after a verb too) and --help. */
  readonly options: readonly CompletionOption[];
  readonly commands: readonly CompletionNode[];
}

/**
 * Words that are written into a shell script unquoted: a name or flag outside this alphabet is refused,
 * so no catalogue entry can put shell syntax into the completion script.
 */
const SHELL_WORD = /^-{0,2}[A-Za-z0-9][A-Za-z0-9-]*$/;
const shellWord = (word: string): string => {
  if (!SHELL_WORD.test(word)) throw new StrongroomError(ErrorCode.InvalidInput, `cannot complete ${JSON.stringify(word)}: command and option names must be letters, digits and dashes`);
  return word;
};

const HELP: CompletionOption = { flags: ['-h', '--help'], description: 'display help', takesValue: false, valueIsPath: false };

const completionOption = (option: Option): CompletionOption => ({
  flags: [option.short, option.long].filter((flag): flag is string => flag !== undefined).map(shellWord),
  description: option.description,
  // An optional value (`[x]`) is not assumed: the next word may as well be a verb.
  takesValue: option.required,
  valueIsPath: /<(path|file|dir)>/.test(option.flags),
});

/** Later spellings win, so a verb's own `--env` (same flags) is listed once. */
const withoutRepeats = (options: readonly CompletionOption[]): CompletionOption[] => [
  ...new Map(options.map((option) => [option.flags.join(' '), option])).values(),
];

/**
 * The commander program as a tree of what can be completed, from the commands actually registered
 * (the interface verbs and every catalogue entry's verbs), so completion can never offer a verb the
 * program lacks. Hidden options are left out.
 *
 * @param extraRootOptions options handled outside commander (`--version`), offered at the top level.
 * @throws StrongroomError INVALID_INPUT when a name or flag is not a plain shell word.
 */
export const completionTree = (program: Command, extraRootOptions: readonly CompletionOption[] = []): CompletionNode => {
  const node = (command: Command, inherited: readonly CompletionOption[], extra: readonly CompletionOption[]): CompletionNode => {
    const own = command.options.filter((option) => !option.hidden).map(completionOption);
    const options = withoutRepeats([...inherited, ...own]);
    const commands = command.commands.map((child) => node(child, options, []));
    // Commander answers `help [command]` for any command that has subcommands.
    const help: CompletionNode[] = commands.length > 0 ? [{ name: 'help', description: 'display help for a command', options: [...options, HELP], commands: [] }] : [];
    return {
      name: shellWord(command.name()),
      description: command.description(),
      options: [...options, ...extra, HELP],
      commands: [...commands, ...help],
    };
  };
  return node(program, [], extraRootOptions);
};

/** Every node with the words that lead to it from the program (`''` for the program, `'token create'`). */
export const commandPaths = (root: CompletionNode): { readonly path: string; readonly node: CompletionNode }[] => {
  const walk = (node: CompletionNode, path: string): { path: string; node: CompletionNode }[] => [
    { path, node },
    ...node.commands.flatMap((child) => walk(child, path === '' ? child.name : `${path} ${child.name}`)),
  ];
  return walk(root, '');
};
