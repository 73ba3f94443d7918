import type { Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { formatTable } from '../../../interfaces/cli/table.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { GetSecretHistory } from './get-secret-history.use-case.js';

export const getSecretHistoryVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'history <ref>', 'every change of a secret: versions, rotations, who and when (never values)').action(
    async (ref: string, _flags: object, command: Command) => {
      const history = await cli.run(command, GetSecretHistory, { env: cli.env(command), ref });
      cli.output.result(history, () =>
        [
          `${history.name} (id ${history.id}, environment ${history.env})`,
          formatTable(
            ['VERSION', 'CHANGE', 'POSITION', 'KEY ID', 'ACTOR', 'VIA', 'AT'],
            history.entries.map((e) => [e.version, e.type, e.position, e.keyId, e.actor, e.interface, e.occurredAt]),
          ),
        ].join('\n'),
      );
    },
  );
};
