import { Argument, type Command } from 'commander';
import { STRONGROOM_VERSION } from '../../../shared/version.js';
import { bashCompletion } from '../completion/bash-completion.js';
import { completionTree } from '../completion/command-tree.js';
import { zshCompletion } from '../completion/zsh-completion.js';
import type { CliContext } from '../session.js';
import { VERSION_OPTION } from '../version-option.js';
import { defineVerb } from './define-verb.js';

const SHELLS = { bash: bashCompletion, zsh: zshCompletion } as const;
type Shell = keyof typeof SHELLS;

/**
 * `strongroom completion bash|zsh`: prints a completion script for that shell, generated from the verbs
 * this program has (so it always matches the installed version). With --json: `{shell, version, script}`.
 */
export const completionVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'completion', 'print a shell completion script (bash: source <(strongroom completion bash); zsh: see README)', { env: false })
    .addArgument(new Argument('<shell>', 'the shell').choices(Object.keys(SHELLS)))
    .action((shell: Shell) => {
      // Read when run, not when registered: by then every verb of the catalogue is on the program.
      const script = SHELLS[shell](completionTree(program, [VERSION_OPTION]), STRONGROOM_VERSION);
      cli.output.result({ shell, version: STRONGROOM_VERSION, script }, () => script.trimEnd());
    });
};
