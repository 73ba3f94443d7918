import type { Command } from 'commander';
import { GetSecretQuery } from '../../../secrets/queries/get-secret/get-secret.query.js';
import type { Output } from '../output.js';
import { positiveInteger } from '../parse-args.js';
import { withStrongroom } from '../session.js';
import { defineVerb } from './define-verb.js';

export const getSecretVerb = (program: Command, output: Output): void => {
  defineVerb(program, 'get-secret <ref>', 'print a secret value (an audited read); REF is a name or an id')
    .option('--version <n>', 'an earlier version instead of the current one', positiveInteger)
    .action((ref: string, flags: { version?: number }, command: Command) =>
      withStrongroom(command, async (strongroom) => {
        const secret = await strongroom.queryBus.execute(new GetSecretQuery({ ref, version: flags.version }, strongroom.context()));
        // The value alone, so `$(strongroom get-secret NAME)` is exactly the value.
        output.result(secret, () => secret.value);
      }),
    );
};
