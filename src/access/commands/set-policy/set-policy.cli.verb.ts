import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { SetPolicy } from './set-policy.use-case.js';

/** A policy file: JSON, or YAML (a superset of JSON, so one parser reads both). */
export const readPolicyFile = (path: string): unknown => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new StrongroomError(ErrorCode.InvalidInput, `cannot read policy file ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return parseYaml(text);
  } catch (e) {
    const where = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new StrongroomError(ErrorCode.InvalidInput, `policy file ${path} is neither JSON nor YAML${where ? ` (line ${where})` : ''}`);
  }
};

export const setPolicyVerb = (program: Command, cli: CliContext): void => {
  const policy = verbGroup(program, 'policy', 'policies: capabilities x secret patterns x environments');
  defineVerb(policy, 'set <name> <file>', 'set a new version of a policy from a JSON or YAML file', { env: false }).action(
    async (name: string, file: string, _flags: object, command: Command) => {
      const result = await cli.run(command, SetPolicy, { name, document: readPolicyFile(file) });
      cli.output.result(result, () => (result.changed ? `Policy ${result.name} is now at version ${result.version}.` : `Policy ${result.name} already had this document (version ${result.version}); nothing changed.`));
    },
  );
};
