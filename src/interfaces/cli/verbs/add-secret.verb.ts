import type { Command } from 'commander';
import { StoreSecretCommand } from '../../../secrets/commands/store-secret/store-secret.command.js';
import type { Output } from '../output.js';
import { collectMetadata } from '../parse-args.js';
import { readValue } from '../read-value.js';
import { withStrongroom } from '../session.js';
import { printable } from '../table.js';
import { defineVerb } from './define-verb.js';

export const addSecretVerb = (program: Command, output: Output): void => {
  defineVerb(program, 'add-secret <name> [value]', 'store a new secret; without VALUE it is read from stdin (preferred: stays out of shell history)')
    .option('--metadata <key=value>', 'a metadata field (repeatable)', collectMetadata)
    .action((name: string, value: string | undefined, flags: { metadata?: Record<string, string> }, command: Command) =>
      withStrongroom(command, async (strongroom) => {
        const secret = await readValue(value, `Value for ${printable(name)}: `, strongroom.options.maxValueBytes);
        const result = await strongroom.commandBus.execute(new StoreSecretCommand({ name, value: secret, metadata: flags.metadata }, strongroom.context()));
        output.result(result, () => `Stored ${result.name} (id ${result.id}, version ${result.version})`);
      }),
    );
};
