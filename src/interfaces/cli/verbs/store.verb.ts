import type { Command } from 'commander';
import { CopyStoreCommand } from '../../../store/commands/copy-store/copy-store.command.js';
import type { Output } from '../output.js';
import { withStrongroom } from '../session.js';
import { defineVerb } from './define-verb.js';

/** `strongroom store copy --to URL`: how a user grows from the embedded store to PostgreSQL or KurrentDB. */
export const storeVerbs = (program: Command, output: Output): void => {
  const store = program.command('store').description('operate on the event store itself');
  defineVerb(store, 'copy', 'copy the whole log to another store (order, ids and hashes kept) and verify the copy')
    .requiredOption('--to <url>', 'target store: sqlite:<path>, postgres://…, kurrentdb://…')
    .action((flags: { to: string }, command: Command) =>
      withStrongroom(command, async (strongroom) => {
        const result = await strongroom.commandBus.execute(new CopyStoreCommand({ to: flags.to }, strongroom.context()));
        output.result(result, () =>
          [
            `Copied ${result.copied} event(s) to ${result.to}; the copy verifies up to position ${result.head.position}.`,
            'Point Strongroom at it with --store / STRONGROOM_STORE, keeping the same master key file.',
          ].join('\n'),
        );
      }),
    );
};
