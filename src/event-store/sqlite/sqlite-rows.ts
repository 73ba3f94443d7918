import type { RecordedEvent } from '../event-store.port.js';
import { parseStoredJson } from '../stored-json.js';

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

export const rowToEvent = (row: EventRow): RecordedEvent => ({
  position: row[0],
  stream: row[1],
  revision: row[2],
  type: row[3],
  schemaVersion: row[4],
  data: parseStoredJson(row[5]),
  metadata: parseStoredJson(row[6]),
  digest: row[7],
  hash: row[8],
});
