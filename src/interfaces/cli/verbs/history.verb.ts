import type { Command } from 'commander';
import { GetSecretHistoryQuery } from '../../../secrets/queries/get-secret-history/get-secret-history.query.js';
import type { Output } from '../output.js';
import { withStrongroom } from '../session.js';
import { formatTable } from '../table.js';
import { defineVerb } from './define-verb.js';

export const historyVerb = (program: Command, output: Output): void => {
  defineVerb(program, 'history <ref>', "a secret's versions and changes from the log (never values); REF is a name or an id").action(
    (ref: string, _flags: object, command: Command) =>
      withStrongroom(command, async (strongroom) => {
        const history = await strongroom.queryBus.execute(new GetSecretHistoryQuery({ ref }));
        output.result(history, () =>
          [
            `${history.name} (id ${history.id})`,
            formatTable(
              ['VERSION', 'CHANGE', 'POSITION', 'KEY ID', 'ACTOR', 'VIA', 'AT'],
              history.entries.map((e) => [e.version, e.type, e.position, e.keyId, e.actor, e.interface, e.occurredAt]),
            ),
          ].join('\n'),
        );
      }),
  );
};
