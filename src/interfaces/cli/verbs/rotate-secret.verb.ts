import type { Command } from 'commander';
import { RotateSecretCommand } from '../../../secrets/commands/rotate-secret/rotate-secret.command.js';
import type { Output } from '../output.js';
import { positiveInteger } from '../parse-args.js';
import { readValue } from '../read-value.js';
import { withStrongroom } from '../session.js';
import { printable } from '../table.js';
import { defineVerb } from './define-verb.js';

export const rotateSecretVerb = (program: Command, output: Output): void => {
  defineVerb(program, 'rotate-secret <ref> [value]', "record a new value as a rotation (restarts the secret's key age); without VALUE it is read from stdin")
    .option('--expected-version <n>', 'fail unless this is the current version', positiveInteger)
    .action((ref: string, value: string | undefined, flags: { expectedVersion?: number }, command: Command) =>
      withStrongroom(command, async (strongroom) => {
        const secret = await readValue(value, `New value for ${printable(ref)}: `, strongroom.options.maxValueBytes);
        const result = await strongroom.commandBus.execute(new RotateSecretCommand({ ref, value: secret, expectedVersion: flags.expectedVersion }, strongroom.context()));
        output.result(result, () => `Rotated ${result.name} to version ${result.version} (id ${result.id})`);
      }),
    );
};
