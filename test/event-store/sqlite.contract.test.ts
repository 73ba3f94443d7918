import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { tempHome } from '../support/temp-home.js';
import { eventStoreContract, newSealer, type ReopenOptions } from './contract.js';

eventStoreContract('SQLite', async (sealer = newSealer()) => {
  const { home, cleanup } = tempHome('sqlite-contract');
  const path = join(home, 'events.db');
  const open = async (options: ReopenOptions = {}) => SqliteEventStore.open({ path, sealer, pollIntervalMs: options.pollIntervalMs ?? 20 });
  return { store: await open(), sealer, reopen: open, cleanup: async () => cleanup() };
});
