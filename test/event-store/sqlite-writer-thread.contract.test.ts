import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { tempHome } from '../support/temp-home.js';
import { eventStoreContract, newSealer, type ReopenOptions } from './contract.js';

// The same contract with the commits in a writer thread (STRONGROOM_SQLITE_WORKER=1). The thread runs
// the compiled code under dist/: `npm run build` first, as `npm test` does.
eventStoreContract('SQLite with a writer thread', async (sealer = newSealer()) => {
  const { home, cleanup } = tempHome('sqlite-thread-contract');
  const path = join(home, 'events.db');
  const open = async (options: ReopenOptions = {}) =>
    SqliteEventStore.open({ path, sealer, writerThread: true, pollIntervalMs: options.pollIntervalMs ?? 20 });
  return { store: await open(), sealer, reopen: open, cleanup: async () => cleanup() };
});
