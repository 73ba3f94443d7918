import type { Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { formatTable } from '../../../interfaces/cli/table.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { ListSecrets } from './list-secrets.use-case.js';

export const listSecretsVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'list-secrets', 'list live secrets (names, ids, versions, keys; never values)').action(async (_flags: object, command: Command) => {
    const secrets = await cli.run(command, ListSecrets, { env: cli.env(command) });
    cli.output.result(secrets, () =>
      formatTable(
        ['NAME', 'ID', 'VERSION', 'UPDATED', 'KEY ID'],
        secrets.map((s) => [s.name + (s.binary ? ' (binary)' : ''), s.id, s.version, s.updatedAt, s.keyId]),
      ),
    );
  });
};
