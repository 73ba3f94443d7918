import type { Command } from 'commander';
import { UpdateSecretCommand } from '../../../secrets/commands/update-secret/update-secret.command.js';
import type { Output } from '../output.js';
import { collectMetadata, positiveInteger } from '../parse-args.js';
import { readValue } from '../read-value.js';
import { withStrongroom } from '../session.js';
import { printable } from '../table.js';
import { defineVerb } from './define-verb.js';

export const updateSecretVerb = (program: Command, output: Output): void => {
  defineVerb(program, 'update-secret <ref> [value]', 'store a new version of a secret; without VALUE it is read from stdin')
    .option('--expected-version <n>', 'check-and-set: fail unless this is the current version', positiveInteger)
    .option('--metadata <key=value>', 'replace the metadata with these fields (repeatable)', collectMetadata)
    .action((ref: string, value: string | undefined, flags: { expectedVersion?: number; metadata?: Record<string, string> }, command: Command) =>
      withStrongroom(command, async (strongroom) => {
        const secret = await readValue(value, `New value for ${printable(ref)}: `, strongroom.options.maxValueBytes);
        const result = await strongroom.commandBus.execute(
          new UpdateSecretCommand({ ref, value: secret, metadata: flags.metadata, expectedVersion: flags.expectedVersion }, strongroom.context()),
        );
        output.result(result, () => `Updated ${result.name} to version ${result.version} (id ${result.id})`);
      }),
    );
};
