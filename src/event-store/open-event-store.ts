import { assertTrustedSqliteStore } from './sqlite/sqlite-file-trust.js';
import type { EventSealer } from '../audit/event-seal.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { EventStore } from './event-store.port.js';

/**
 * Whether the store at `url` can redact committed payloads (EventStore.redact): SQLite and PostgreSQL
 * can; KurrentDB's events are immutable. Checked before a destroy records anything.
 */
export const storeCanRedact = (url: string): boolean => !/^(kurrentdb|kdb|esdb)(\+discover)?:\/\//i.test(url);

/** How an adapter is opened beyond its URL (from StrongroomOptions). */
export interface OpenStoreOptions {
  /** SQLite only: commit in a writer thread (SqliteEventStoreOptions.writerThread). */
  readonly sqliteWriterThread?: boolean;
}

/**
 * Chooses the adapter from the store URL: `sqlite:<path>`, `postgres://…`, `kurrentdb://…` / `esdb://…`,
 * or `memory:<name>` (a log in this process's memory, shared by every store opened with that name;
 * nothing survives the process: for tests and benches, never for secrets anyone needs to keep).
 */
export const openEventStore = async (url: string, sealer: EventSealer, logger?: Logger, options: OpenStoreOptions = {}): Promise<EventStore> => {
  if (url.startsWith('memory:')) {
    const { MemoryEventStore, namedMemoryLog } = await import('./memory/memory-event-store.js');
    return MemoryEventStore.open({ log: namedMemoryLog(url.slice('memory:'.length)), sealer });
  }
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path.length === 0) throw new StrongroomError(ErrorCode.InvalidInput, 'sqlite store URL needs a path: sqlite:<path>');
    // Here too, not only at start-up (private-home.ts): a `store copy` target is opened by this alone.
    assertTrustedSqliteStore(path);
    const { SqliteEventStore } = await import('./sqlite/sqlite-event-store.js');
    return SqliteEventStore.open({ path, sealer, writerThread: options.sqliteWriterThread ?? false });
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    // `?schema=<name>` (default public) selects the schema; the adapter creates or migrates it.
    const { PostgresEventStore } = await import('./postgres/postgres-event-store.js');
    return PostgresEventStore.open({ url, sealer, ...(logger && { logger }) });
  }
  if (/^(kurrentdb|kdb|esdb)(\+discover)?:\/\//i.test(url)) {
    // Loaded only when used: the KurrentDB client brings gRPC and a native bridge with it.
    const { KurrentDbEventStore } = await import('./kurrentdb/kurrentdb-event-store.js');
    return KurrentDbEventStore.open({ url, sealer });
  }
  throw new StrongroomError(ErrorCode.InvalidInput, 'unknown store URL scheme; use sqlite:<path>, postgres://…, kurrentdb://… or memory:<name>');
};
