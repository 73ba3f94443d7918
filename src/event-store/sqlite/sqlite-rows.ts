import type { RecordedEvent } from '../event-store.port.js';

/** Column order of every SELECT the SQLite adapter runs (rows are read raw, as arrays, for speed). */
export const SELECT_COLUMNS = 'position, stream, revision, type, schema_version, data, metadata, digest, hash';

export type EventRow = [
  position: number,
  stream: string,
  revision: number,
  type: string,
  schemaVersion: number,
  data: string,
  metadata: string,
  digest: string,
  hash: string,
];

/**
 * Unparseable JSON (a damaged or hand-edited row) becomes `null` instead of an exception: the
 * projection then quarantines that one secret and `audit verify` names the event, rather than one bad
 * row stopping every read of the log.
 */
const parseOrNull = (text: string): never => {
  try {
    return JSON.parse(text) as never;
  } catch {
    return null as never;
  }
};

export const rowToEvent = (row: EventRow): RecordedEvent => ({
  position: row[0],
  stream: row[1],
  revision: row[2],
  type: row[3],
  schemaVersion: row[4],
  data: parseOrNull(row[5]),
  metadata: parseOrNull(row[6]),
  digest: row[7],
  hash: row[8],
});
