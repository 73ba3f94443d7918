import type { Command } from 'commander';
import { DeleteSecretCommand } from '../../../secrets/commands/delete-secret/delete-secret.command.js';
import type { Output } from '../output.js';
import { positiveInteger } from '../parse-args.js';
import { withStrongroom } from '../session.js';
import { defineVerb } from './define-verb.js';

export const deleteSecretVerb = (program: Command, output: Output): void => {
  defineVerb(program, 'delete-secret <ref>', 'delete a live secret (its history stays in the log); REF is a name or an id')
    .option('--expected-version <n>', 'fail unless this is the current version', positiveInteger)
    .action((ref: string, flags: { expectedVersion?: number }, command: Command) =>
      withStrongroom(command, async (strongroom) => {
        const result = await strongroom.commandBus.execute(new DeleteSecretCommand({ ref, expectedVersion: flags.expectedVersion }, strongroom.context()));
        output.result(result, () => `Deleted ${result.name} (id ${result.id}); its history stays in the log`);
      }),
    );
};
