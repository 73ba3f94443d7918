import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { explicitVariables } from '../../domain/environment-variables.js';
import { runChild } from './run-child.js';
import { readTextExport } from './text-export.js';
import { refuseDuplicateJsonKeys } from '../../../shared/duplicate-json-keys.js';

interface RunFlags {
  readonly prefix?: string;
  readonly map?: string;
}

/** Variables a child never inherits from us: the token this CLI used is ours, not the program's. */
const NOT_INHERITED = ['STRONGROOM_TOKEN'];

const readMapping = (path: string): Map<string, string> => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new StrongroomError(ErrorCode.InvalidInput, `cannot read the mapping file ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let mapping: unknown;
  try {
    mapping = JSON.parse(text);
  } catch {
    throw new StrongroomError(ErrorCode.InvalidInput, `the mapping file ${path} is not valid JSON`);
  }
  refuseDuplicateJsonKeys(text, `the mapping file ${path}`);
  return explicitVariables(mapping);
};

/**
 * `strongroom run [--prefix P | --map FILE] -- CMD ARGS...`: reads the secrets (one audited read each,
 * all durable before the program starts; all or nothing), closes the store, then runs CMD with them as
 * environment variables (named by the rule in environment-variables.ts, or by --map), overriding any
 * inherited variable of the same name. Exits with CMD's status; signals are forwarded (run-child.ts).
 */
export const runVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'run <command> [args...]', 'run a program with secrets in its environment (each an audited read): strongroom run -- CMD ARGS...')
    .option('--prefix <prefix>', 'the secrets whose name starts with this; the prefix is removed from the variable names')
    .option('--map <file>', 'a JSON object of VARIABLE to secret name: exactly these, under these names')
    .action(async (commandName: string, args: string[], flags: RunFlags, command: Command) => {
      if (flags.prefix !== undefined && flags.map !== undefined) throw new StrongroomError(ErrorCode.InvalidInput, 'give --prefix or --map, not both');
      const env = cli.env(command);
      const request = flags.map === undefined ? { env, prefix: flags.prefix ?? '', asVariables: true } : { env, mapping: readMapping(flags.map) };
      // The store is closed again before the program starts: it may run for days.
      const { values, variables } = await cli.withRunner(command, (strongroom) => readTextExport(strongroom, request));
      const childEnv: NodeJS.ProcessEnv = { ...process.env };
      for (const name of NOT_INHERITED) delete childEnv[name];
      for (const [variable, name] of variables ?? []) childEnv[variable] = values.get(name) as string;
      cli.output.exitStatus = await runChild(commandName, args, childEnv, (t) => cli.output.warn(t));
    });
};
