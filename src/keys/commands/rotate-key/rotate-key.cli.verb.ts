import type { Command } from 'commander';
import { progressBar } from '../../../interfaces/cli/progress.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { RotateKey } from './rotate-key.use-case.js';

export const rotateKeyVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'rotate-key', "create a new data key for the environment and re-encrypt every current secret under it (resumable)").action(
    async (_flags: object, command: Command) => {
      const progress = progressBar(cli.output, 'Re-encrypting secrets');
      const result = await cli.run(command, RotateKey, { env: cli.env(command), onProgress: ({ done, total }: { done: number; total: number }) => progress.update(done, total) }).finally(progress.stop);
      const { newKeyId, reEncrypted, failed, retiredKeyIds } = result;
      if (failed > 0) {
        cli.output.note(`${failed} secret(s) could not be re-encrypted and keep their old key; see the SecretReEncryptionFailed events in \`strongroom audit log\`.`);
      }
      cli.output.result(result, () =>
        [`New data key ${newKeyId} for ${result.env}: ${reEncrypted} secret(s) re-encrypted, ${failed} failed.`, `Retired data keys: ${retiredKeyIds.join(', ') || 'none'}.`].join('\n'),
      );
    },
  );
};
