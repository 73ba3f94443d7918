import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SecretManager, type StrongroomError } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { codeOf } from '../support/code-of.js';
import { tempHome } from '../support/temp-home.js';

/**
 * Tamper evidence on a real store file: someone with write access to the SQLite file (but not the
 * audit key, which lives only wrapped under the master key) edits, deletes, swaps or inserts rows.
 * `audit verify` names the first bad event; reads of a tampered secret fail closed, the rest go on.
 */
const quiet = createLogger({ silent: true });

interface Row {
  position: number;
  stream: string;
  type: string;
  data: string;
  metadata: string;
}

describe('tamper evidence', () => {
  let home: string;
  let cleanup: () => void;
  let ids: string[];

  beforeEach(async () => {
    ({ home, cleanup } = tempHome('tamper'));
    const m = await SecretManager.open({ home, initialise: true, logger: quiet, actor: 'alice' });
    ids = [];
    for (let i = 0; i < 5; i++) ids.push(await m.storeSecret(`app/s${i}`, `plain-value-${i}`));
    await m.getSecret(ids[0] as string);
    await m.close();
  });
  afterEach(() => cleanup());

  /** Edits the closed store file directly, as an attacker with file access would. */
  const tamper = (edit: (db: Database.Database) => void): void => {
    const db = new Database(join(home, 'strongroom.db'));
    try {
      edit(db);
    } finally {
      db.close();
    }
  };
  const rows = (db: Database.Database): Row[] => db.prepare('SELECT position, stream, type, data, metadata FROM events ORDER BY position').all() as Row[];
  const storedOf = (db: Database.Database, id: string): Row =>
    rows(db).find((r) => r.type === 'SecretStored' && (JSON.parse(r.data) as { secretId: string }).secretId === id) as Row;

  const verify = async () => {
    const m = await SecretManager.open({ home, initialise: false, logger: quiet });
    try {
      return await m.verifyAuditLog();
    } finally {
      await m.close();
    }
  };

  it('an untouched log verifies, and a checkpoint taken now verifies too', async () => {
    const result = await verify();
    expect(result.ok).toBe(true);
    expect(result.head).not.toBeNull();
    const m = await SecretManager.open({ home, initialise: false, logger: quiet });
    try {
      expect((await m.verifyAuditLog(result.head ?? undefined)).ok).toBe(true);
    } finally {
      await m.close();
    }
  });

  it('detects a modified event (the actor of a read rewritten) and names it', async () => {
    let position = 0;
    tamper((db) => {
      const access = rows(db).find((r) => r.type === 'SecretAccessed') as Row;
      position = access.position;
      const metadata = { ...(JSON.parse(access.metadata) as object), actor: 'mallory' };
      db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(JSON.stringify(metadata), position);
    });
    expect(await verify()).toMatchObject({ ok: false, firstBad: { position, problem: 'modified' } });
  });

  it('detects a removed event', async () => {
    tamper((db) => db.prepare('DELETE FROM events WHERE position = 4').run());
    expect(await verify()).toMatchObject({ ok: false, firstBad: { position: 5, problem: 'removed' } });
  });

  it('detects reordered events (two whole rows swapped, digests and hashes included)', async () => {
    tamper((db) => {
      const move = db.prepare('UPDATE events SET position = ? WHERE position = ?');
      move.run(-4, 4);
      move.run(4, 5);
      move.run(5, -4);
    });
    expect(await verify()).toMatchObject({ ok: false, firstBad: { position: 4, problem: 'inserted-or-reordered' } });
  });

  it('detects an inserted event, even one copied whole from elsewhere in the log', async () => {
    tamper((db) => {
      const head = (db.prepare('SELECT max(position) AS p FROM events').get() as { p: number }).p;
      // Make room after position 3 and copy event 3 (with its valid digest and hash) into it.
      for (let p = head; p >= 4; p--) db.prepare('UPDATE events SET position = position + 1 WHERE position = ?').run(p);
      db.prepare(
        'INSERT INTO events SELECT 4, stream, category, revision + 1000, type, schema_version, data, metadata, digest, hash FROM events WHERE position = 3',
      ).run();
    });
    expect(await verify()).toMatchObject({ ok: false, firstBad: { position: 4, problem: 'inserted-or-reordered' } });
  });

  it('detects a truncated tail against an exported checkpoint', async () => {
    const before = await verify();
    tamper((db) => db.prepare('DELETE FROM events WHERE position = (SELECT max(position) FROM events)').run());
    const m = await SecretManager.open({ home, initialise: false, logger: quiet });
    try {
      expect((await m.verifyAuditLog()).ok).toBe(true); // a chain alone cannot see a missing tail
      expect(await m.verifyAuditLog(before.head ?? undefined)).toMatchObject({ ok: false, firstBad: { problem: 'truncated' } });
    } finally {
      await m.close();
    }
  });

  it('tampered ciphertext: that read fails with INTEGRITY_ERROR, no value leaks, other secrets still read', async () => {
    tamper((db) => {
      const row = storedOf(db, ids[1] as string);
      const data = JSON.parse(row.data) as { ciphertext: string };
      const flipped = data.ciphertext.slice(0, 60) + (data.ciphertext[60] === 'A' ? 'B' : 'A') + data.ciphertext.slice(61);
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ ...data, ciphertext: flipped }), row.position);
    });
    const m = await SecretManager.open({ home, initialise: false, logger: quiet });
    try {
      const error = await m.getSecret(ids[1] as string).catch((e: StrongroomError) => e);
      expect(error).toMatchObject({ code: 'INTEGRITY_ERROR' });
      expect(String((error as Error).message)).not.toContain('plain-value');
      expect(await m.getSecret(ids[2] as string)).toBe('plain-value-2');
      expect((await m.verifyAuditLog()).firstBad?.problem).toBe('modified');
      // The failed read did not record an access: nothing was returned.
      const trail = await m.getAuditTrail({ ref: ids[1] as string });
      expect(trail.filter((e) => e.type === 'SecretAccessed')).toHaveLength(0);
    } finally {
      await m.close();
    }
  });

  it('a corrupt event (unparseable or wrong shape) quarantines its secret only; start-up and other reads go on', async () => {
    tamper((db) => {
      const unparseable = storedOf(db, ids[2] as string).position;
      const shape = storedOf(db, ids[3] as string);
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run('{not json', unparseable);
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ ...JSON.parse(shape.data), version: 'one' }), shape.position);
    });
    const m = await SecretManager.open({ home, initialise: false, logger: quiet });
    try {
      // By id, a secret whose creation event is unreadable is unknown (null); by name it is quarantined.
      expect(await m.getSecret(ids[2] as string)).toBeNull();
      expect(await codeOf(m.getSecretByName('app/s2'))).toBe('INTEGRITY_ERROR');
      expect(await codeOf(m.getSecretByName('app/s3'))).toBe('INTEGRITY_ERROR');
      expect(await codeOf(m.storeSecret('app/s3', 'overwrite'))).toBe('INTEGRITY_ERROR');
      expect(await m.getSecret(ids[4] as string)).toBe('plain-value-4');
      expect((await m.verifyAuditLog()).ok).toBe(false);
      expect(await codeOf(m.getAuditTrail())).toBe('no error');
    } finally {
      await m.close();
    }
  });

  it('a corrupt keys stream stops start-up with a clear INTEGRITY_ERROR and changes nothing', async () => {
    tamper((db) => db.prepare("UPDATE events SET data = '{}' WHERE stream = 'keys' AND type = 'DataKeyCreated'").run());
    const error = await SecretManager.open({ home, initialise: false, logger: quiet }).catch((e: StrongroomError) => e);
    expect(error).toMatchObject({ code: 'INTEGRITY_ERROR' });
  });
});
