import type { Command } from 'commander';
import { progressBar } from '../../../interfaces/cli/progress.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { CopyStore } from './copy-store.use-case.js';

/** `strongroom store copy --to URL`: how a user grows from the embedded store to PostgreSQL or KurrentDB. */
export const copyStoreVerb = (program: Command, cli: CliContext): void => {
  const store = verbGroup(program, 'store', 'operate on the event store itself');
  defineVerb(store, 'copy', 'copy the whole log to another store (order, ids and hashes kept) and verify the copy', { env: false })
    .requiredOption('--to <url>', 'target store: sqlite:<path>, postgres://…, kurrentdb://…')
    .action(async (flags: { to: string }, command: Command) => {
      const progress = progressBar(cli.output, 'Copying events');
      const result = await cli.run(command, CopyStore, { to: flags.to, onProgress: ({ copied, total }: { copied: number; total: number }) => progress.update(copied, total) }).finally(progress.stop);
      cli.output.result(result, () =>
        [
          `Copied ${result.copied} event(s) to ${result.to}; the copy verifies up to position ${result.head.position}.`,
          'Point Strongroom at it with --store / STRONGROOM_STORE, keeping the same master key file.',
        ].join('\n'),
      );
    });
};
