import { MemoryEventStore, MemoryLog } from '../../src/event-store/memory/memory-event-store.js';
import { eventStoreContract, newSealer } from './contract.js';

/** The in-memory driver under the group-commit core passes the same contract as the durable stores. */
eventStoreContract('in-memory', async (sealer = newSealer()) => {
  const log = new MemoryLog();
  const open = async () => MemoryEventStore.open({ log, sealer });
  return { store: await open(), sealer, reopen: open, cleanup: async () => undefined };
});
