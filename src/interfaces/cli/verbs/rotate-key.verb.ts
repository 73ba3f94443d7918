import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { RotateKeyCommand, type RotationProgress } from '../../../keys/commands/rotate-key/rotate-key.command.js';
import type { Output } from '../output.js';
import { withStrongroom } from '../session.js';
import { defineVerb } from './define-verb.js';

/** A bar on stderr for people watching a terminal; nothing at all for scripts and --json. */
const progressBar = (output: Output): { onProgress: (p: RotationProgress) => void; stop: () => void } => {
  if (output.json || !process.stderr.isTTY) return { onProgress: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'Re-encrypting secrets {bar} {value}/{total}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: ({ done, total }) => {
      if (!started) bar.start(total, done);
      else bar.update(done);
      started = true;
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
};

export const rotateKeyVerb = (program: Command, output: Output): void => {
  defineVerb(program, 'rotate-key', 'create a new data key and re-encrypt every current secret under it (resumable)').action(
    (_flags: object, command: Command) =>
      withStrongroom(command, async (strongroom) => {
        const progress = progressBar(output);
        const result = await strongroom.commandBus.execute(new RotateKeyCommand(strongroom.context(), progress.onProgress)).finally(progress.stop);
        const { newKeyId, reEncrypted, failed, retiredKeyIds } = result;
        if (failed > 0) {
          output.note(`${failed} secret(s) could not be re-encrypted and keep their old key; see the SecretReEncryptionFailed events in \`strongroom audit log\`.`);
        }
        output.result(result, () =>
          [`New data key ${newKeyId}: ${reEncrypted} secret(s) re-encrypted, ${failed} failed.`, `Retired data keys: ${retiredKeyIds.join(', ') || 'none'}.`].join('\n'),
        );
      }),
  );
};
