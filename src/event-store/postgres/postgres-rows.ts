import type { RecordedEvent } from '../event-store.port.js';
import { parseStoredJson } from '../stored-json.js';

/** The columns every read selects, in RecordedEvent order. */
export const EVENT_COLUMNS = 'position, stream, revision, type, schema_version, data, metadata, digest, hash';

/** As pg returns it: bigint arrives as a string (exact), integer as a number. */
export interface EventRow {
  readonly position: string;
  readonly stream: string;
  readonly revision: string;
  readonly type: string;
  readonly schema_version: number;
  readonly data: string;
  readonly metadata: string;
  readonly digest: string;
  readonly hash: string;
}

export const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  position: Number(row.position),
  stream: row.stream,
  revision: Number(row.revision),
  type: row.type,
  schemaVersion: row.schema_version,
  data: parseStoredJson(row.data),
  metadata: parseStoredJson(row.metadata),
  digest: row.digest,
  hash: row.hash,
});

/** One row to insert, with the payload already serialized (the text the digest was computed over). */
export interface RowToInsert {
  readonly position: number;
  readonly stream: string;
  readonly category: string;
  readonly revision: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly dataJson: string;
  readonly metadataJson: string;
  readonly digest: string;
  readonly hash: string;
}

/**
 * One statement per commit, whatever the batch size: rows travel as 10 arrays (no 65 535-parameter limit),
 * streams are upserted with their final revision, and the NOTIFY is sent when the transaction commits.
 * Data-modifying CTEs always run to completion even though the outer SELECT does not read them.
 */
export const writeStatement = (s: string): string => `
  WITH new_events AS (
    INSERT INTO ${s}.events (position, stream, category, revision, type, schema_version, data, metadata, digest, hash)
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::integer[], $7::text[], $8::text[], $9::text[], $10::text[])
  ), new_streams AS (
    INSERT INTO ${s}.streams (stream, revision)
    SELECT * FROM unnest($11::text[], $12::bigint[])
    ON CONFLICT (stream) DO UPDATE SET revision = EXCLUDED.revision
  )
  SELECT pg_notify($13, $14)`;

export const writeParameters = (rows: readonly RowToInsert[], streams: ReadonlyMap<string, number>, channel: string): unknown[] => [
  rows.map((r) => r.position),
  rows.map((r) => r.stream),
  rows.map((r) => r.category),
  rows.map((r) => r.revision),
  rows.map((r) => r.type),
  rows.map((r) => r.schemaVersion),
  rows.map((r) => r.dataJson),
  rows.map((r) => r.metadataJson),
  rows.map((r) => r.digest),
  rows.map((r) => r.hash),
  [...streams.keys()],
  [...streams.values()],
  channel,
  String(rows[rows.length - 1]?.position ?? 0),
];
