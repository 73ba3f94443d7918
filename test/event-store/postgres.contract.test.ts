import { openEventStore } from '../../src/event-store/open-event-store.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { dropSchema, freshSchemaName, testPostgresUrl, withSchema } from '../support/pg-test-db.js';
import { eventStoreContract, newSealer, type ReopenOptions } from './contract.js';

/**
 * The shared contract against the local PostgreSQL (see test/support/pg-test-db.ts): a fresh schema per
 * store, dropped afterwards. An unreachable server fails the suite; it never skips.
 */
eventStoreContract('PostgreSQL', async (sealer = newSealer()) => {
  const base = await testPostgresUrl();
  const schema = freshSchemaName();
  const url = withSchema(base, schema);
  // Opened through the URL dispatch, as the application does; `reopen` is a second replica or a restart.
  const store = await openEventStore(url, sealer);
  const reopen = async (options: ReopenOptions = {}) => PostgresEventStore.open({ url, sealer, pollIntervalMs: options.pollIntervalMs ?? 100 });
  return { store, sealer, reopen, cleanup: async () => dropSchema(base, schema) };
});
