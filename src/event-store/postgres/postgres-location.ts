import { createHash } from 'node:crypto';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';

/** Where a store lives: the connection string pg gets, the schema, and names derived from the schema. */
export interface PostgresLocation {
  /** The store URL without our own `schema` parameter, for pg. May hold a password: never log it. */
  readonly connectionString: string;
  readonly schema: string;
  /** The schema as a quoted SQL identifier. */
  readonly schemaSql: string;
  /** bigint literal for pg_advisory_xact_lock: serializes appends to this store across every process. */
  readonly appendLockKey: string;
  /** bigint literal for pg_advisory_xact_lock: serializes schema creation and migration. */
  readonly migrationLockKey: string;
  /** LISTEN / NOTIFY channel announcing new heads (a short hash: channel names are limited to 63 bytes). */
  readonly channel: string;
}

/** Conservative on purpose: the name is spliced into SQL text (quoted) and shows up in messages. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

const invalid = (why: string): StrongroomError =>
  // Never echo the URL: it may carry a password.
  new StrongroomError(ErrorCode.InvalidInput, `invalid PostgreSQL store URL: ${why}`);

const digestOf = (text: string): Buffer => createHash('sha256').update(text).digest();

/** A signed 64-bit advisory lock key, constant for one purpose and schema. */
const lockKey = (purpose: string, schema: string): string =>
  BigInt.asIntN(64, digestOf(`strongroom:${purpose}:${schema}`).readBigUInt64BE(0)).toString();

/**
 * Reads `postgres://…?schema=<name>` (default `public`). Only the query string is rewritten, so every
 * other form pg accepts (unix sockets, sslmode, …) reaches pg untouched.
 */
export const parsePostgresUrl = (url: string): PostgresLocation => {
  const question = url.indexOf('?');
  const base = question === -1 ? url : url.slice(0, question);
  const params = new URLSearchParams(question === -1 ? '' : url.slice(question + 1));
  if (params.getAll('schema').length > 1) throw invalid('more than one schema parameter');
  const schema = params.get('schema') ?? 'public';
  if (!SCHEMA_NAME.test(schema)) throw invalid('schema must be a plain identifier (letters, digits, underscore; at most 63)');
  params.delete('schema');
  const rest = params.toString();
  return {
    connectionString: rest.length > 0 ? `${base}?${rest}` : base,
    schema,
    schemaSql: `"${schema}"`,
    appendLockKey: lockKey('append', schema),
    migrationLockKey: lockKey('migrate', schema),
    channel: `strongroom_${digestOf(`strongroom:channel:${schema}`).toString('hex').slice(0, 24)}`,
  };
};
