import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { prepareCheckpointDir, writeCheckpointFile } from '../../checkpoint-files.js';
import { auditPublicKey } from '../../signing-key.js';
import { SignCheckpoint } from './sign-checkpoint.use-case.js';

export const auditSignVerbs = (program: Command, cli: CliContext): void => {
  const audit = verbGroup(program, 'audit', 'read and verify the tamper-evident audit log');
  defineVerb(audit, 'sign', 'sign a checkpoint of the log head with the Ed25519 key and record it; --out DIR also writes it there', { env: false })
    .option('--out <dir>', 'also write the signed checkpoint to this directory (keep it away from the store)')
    .action(async (flags: { out?: string }, command: Command) => {
      const dir = flags.out === undefined ? undefined : resolve(flags.out);
      // Refused before signing: an unusable directory must not leave a recorded checkpoint behind an error.
      if (dir !== undefined) prepareCheckpointDir(dir);
      const result = await cli.run(command, SignCheckpoint, {});
      const c = result.checkpoint;
      if (dir !== undefined && c) writeCheckpointFile(dir, c);
      cli.output.result(result, () => (c ? `Checkpoint ${c.sequence} signed at position ${c.position}: public head ${c.publicHead} (key ${c.keyId}).` : 'No checkpoint.'));
    });
  defineVerb(audit, 'public-key', "print the checkpoint signing key's public half (PEM), for auditors; creates the key pair while no checkpoint is signed", {
    env: false,
  }).action(async (_flags: object, command: Command) => {
    // The operator holding the key file exports its public half; the log says which key it must be.
    const { keyId, publicKey } = await cli.withStrongroom(command, (s) => auditPublicKey(s.options, s.runtime.store));
    cli.output.result({ keyId, publicKey }, () => publicKey.trimEnd());
  });
};
