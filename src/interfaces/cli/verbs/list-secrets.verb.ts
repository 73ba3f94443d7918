import type { Command } from 'commander';
import { ListSecretsQuery } from '../../../secrets/queries/list-secrets/list-secrets.query.js';
import type { Output } from '../output.js';
import { withStrongroom } from '../session.js';
import { formatTable } from '../table.js';
import { defineVerb } from './define-verb.js';

export const listSecretsVerb = (program: Command, output: Output): void => {
  defineVerb(program, 'list-secrets', 'list live secrets (names, ids, versions, keys; never values)').action((_flags: object, command: Command) =>
    withStrongroom(command, async (strongroom) => {
      const secrets = await strongroom.queryBus.execute(new ListSecretsQuery());
      output.result(secrets, () =>
        formatTable(
          ['NAME', 'ID', 'VERSION', 'UPDATED', 'KEY ID'],
          [...secrets].sort((a, b) => a.name.localeCompare(b.name)).map((s) => [s.name, s.id, s.version, s.updatedAt, s.keyId]),
        ),
      );
    }),
  );
};
