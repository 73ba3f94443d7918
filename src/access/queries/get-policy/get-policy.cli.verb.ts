import type { Command } from 'commander';
import { stringify as toYaml } from 'yaml';
import { positiveInteger } from '../../../interfaces/cli/parse-args.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { formatTable } from '../../../interfaces/cli/table.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { GetPolicy } from './get-policy.use-case.js';

export const getPolicyVerbs = (program: Command, cli: CliContext): void => {
  const policy = verbGroup(program, 'policy', 'policies: capabilities x secret patterns x environments');
  defineVerb(policy, 'get <name>', 'print a policy document (YAML; JSON with --json)', { env: false })
    .option('--version <n>', 'an earlier version', positiveInteger)
    .action(async (name: string, flags: { version?: number }, command: Command) => {
      const view = await cli.run(command, GetPolicy, { name, version: flags.version });
      cli.output.result(view.current, () => `# policy ${view.name}, version ${view.current.version}${view.current.deleted ? ' (deleted)' : ''}\n${toYaml(view.current.document ?? {}).trimEnd()}`);
    });
  defineVerb(policy, 'history <name>', 'every version of a policy: when, by whom', { env: false }).action(async (name: string, _flags: object, command: Command) => {
    const view = await cli.run(command, GetPolicy, { name });
    cli.output.result(view.history, () =>
      formatTable(['VERSION', 'SET AT', 'BY', 'RULES'], view.history.map((v) => [v.version, v.setAt, v.setBy, v.deleted ? 'deleted' : String((v.document as { rules?: unknown[] } | null)?.rules?.length ?? 0)])),
    );
  });
};
