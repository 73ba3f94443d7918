import Database from 'better-sqlite3';
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { prepareSchema } from '../src/event-store/sqlite/sqlite-schema.js';

/**
 * What each figure is compared with: the same work done by bare library calls, with none of
 * Strongroom's layers (buses, validation, projection, audit chain) in between.
 */

// ---------------------------------------------------------------------------------------------------
// 1. Fernet: bare node:crypto AES-128-CBC + HMAC-SHA256 producing / consuming the same 105-byte token.

export interface BareKey {
  readonly signingKey: Buffer;
  readonly encryptionKey: Buffer;
}

/** Random IV, AES-128-CBC, version + timestamp header, HMAC-SHA256 over header and ciphertext, base64url. */
export const bareEncrypt = (key: BareKey, plaintext: string): string => {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-cbc', key.encryptionKey, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const header = Buffer.allocUnsafe(25);
  header[0] = 0x80;
  header.writeUInt32BE(0, 1);
  header.writeUInt32BE(Math.floor(Date.now() / 1000), 5);
  iv.copy(header, 9);
  const mac = createHmac('sha256', key.signingKey).update(header).update(body).digest();
  return Buffer.concat([header, body, mac]).toString('base64url');
};

/** base64url decode, HMAC-SHA256 check in constant time, AES-128-CBC decrypt. */
export const bareDecrypt = (key: BareKey, token: string): Buffer => {
  const raw = Buffer.from(token, 'base64url');
  const signed = raw.length - 32;
  const mac = createHmac('sha256', key.signingKey).update(raw.subarray(0, signed)).digest();
  if (!timingSafeEqual(mac, raw.subarray(signed))) throw new Error('bad mac');
  const decipher = createDecipheriv('aes-128-cbc', key.encryptionKey, raw.subarray(9, 25));
  return Buffer.concat([decipher.update(raw.subarray(25, signed)), decipher.final()]);
};

// ---------------------------------------------------------------------------------------------------
// 2. Durable stores: the very rows StoreSecret committed, inserted by raw better-sqlite3.

/** An `events` row in column order. */
export type RawEventRow = [
  position: number,
  stream: string,
  category: string,
  revision: number,
  type: string,
  schemaVersion: number,
  data: string,
  metadata: string,
  digest: string,
  hash: string,
];

export const readEventRows = (dbPath: string, category: string): RawEventRow[] => {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db
      .prepare('SELECT position, stream, category, revision, type, schema_version, data, metadata, digest, hash FROM events WHERE category = ? ORDER BY position')
      .raw()
      .all(category) as RawEventRow[];
  } finally {
    db.close();
  }
};

/**
 * Inserts `rows` into a fresh file with the same schema and pragmas (WAL, synchronous=FULL) in
 * transactions of `batch` rows, as a group commit does.
 * Returns rows/s.
 */
export const rawBatchedInserts = (dir: string, rows: readonly RawEventRow[], batch = 64): number => {
  const path = join(dir, 'raw-baseline.db');
  const db = new Database(path);
  try {
    prepareSchema(db, path);
    const insert = db.prepare(
      'INSERT INTO events (position, stream, category, revision, type, schema_version, data, metadata, digest, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const commit = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const r = rows[i] as RawEventRow;
        insert.run(r);
      }
    });
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < rows.length; i += batch) commit.immediate(i, Math.min(i + batch, rows.length));
    return rows.length / (Number(process.hrtime.bigint() - t0) / 1e9);
  } finally {
    db.close();
  }
};

// ---------------------------------------------------------------------------------------------------
// 4. Rebuild: the rows the projection folds, read by the same paged query and nothing else.

/** Reads every row of `categories` the way start-up does (same merged query, pages of 2,000), without parsing. */
export const rawReadRows = (dbPath: string, categories: readonly string[]): { rows: number; seconds: number } => {
  const db = new Database(dbPath, { readonly: true });
  try {
    const arms = categories.map(
      () => 'SELECT position, stream, revision, type, schema_version, data, metadata, digest, hash FROM events WHERE category = ? AND position > ?',
    );
    const stmt = db.prepare(`${arms.join(' UNION ALL ')} ORDER BY position LIMIT ?`).raw();
    const t0 = process.hrtime.bigint();
    let rows = 0;
    let from = 0;
    for (;;) {
      const page = stmt.all(...categories.flatMap((c) => [c, from]), 2_000) as unknown[][];
      if (page.length === 0) break;
      rows += page.length;
      from = (page.at(-1) as unknown[])[0] as number;
    }
    return { rows, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
  } finally {
    db.close();
  }
};

// ---------------------------------------------------------------------------------------------------
// 6. Memory: the least a process could hold per secret, a Map from a 32-hex id to a ciphertext string.

export const minimalMapBytes = (count: number, ciphertextLength: number): { heapBytes: number; rssBytes: number } => {
  global.gc?.();
  const before = process.memoryUsage();
  const map = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    // Fresh strings (not slices of one another) so each entry really owns its bytes.
    map.set(randomBytes(16).toString('hex'), randomBytes(Math.ceil((ciphertextLength * 3) / 4)).toString('base64url').slice(0, ciphertextLength));
  }
  global.gc?.();
  const after = process.memoryUsage();
  if (map.size !== count) throw new Error('unreachable');
  return { heapBytes: (after.heapUsed - before.heapUsed) / count, rssBytes: (after.rss - before.rss) / count };
};
