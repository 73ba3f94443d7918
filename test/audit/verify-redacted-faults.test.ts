import Database from 'better-sqlite3';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { tempHome } from '../support/temp-home.js';
import { assertBuilt, runCli } from '../cli/run-cli.js';

/**
 * Issue 9, fault A: `audit verify` on a real SQLite store holding a destroyed secret (its SecretStored
 * redacted by a later SecretVersionsDestroyed), tampered with for real (a row deleted, a payload
 * edited, a checkpoint that does not match, a tail cut). The redacted event is never the one blamed
 * for a fault elsewhere: the first proven fault is reported. Library (the handler HTTP shares) and CLI.
 */
const quiet = createLogger({ silent: true });

interface Row {
  position: number;
  type: string;
  hash: string;
  metadata: string;
}

describe('audit verify over a destroyed secret and a tampered log', () => {
  let root: string;
  let template: string;
  let cleanup: () => void;
  let redacted: number;
  let destroy: number;
  let head: number;

  beforeAll(async () => {
    ({ home: root, cleanup } = tempHome('verify-faults'));
    template = join(root, 'template');
    const m = await SecretManager.open({ home: template, initialise: true, logger: quiet, actor: 'alice' });
    await m.storeSecret('app/doomed', 'doomed-value');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push(await m.storeSecret(`app/s${i}`, `value-${i}`));
      await m.getSecret(ids[i] as string);
    }
    await m.destroySecret('app/doomed');
    for (const id of ids.slice(0, 3)) await m.getSecret(id);
    await m.close();
    const all = rowsOf(template);
    redacted = (all.find((r) => r.type === 'SecretStored') as Row).position;
    destroy = (all.find((r) => r.type === 'SecretVersionsDestroyed') as Row).position;
    head = (all.at(-1) as Row).position;
  });
  afterAll(() => cleanup());

  const rowsOf = (home: string): Row[] => {
    const db = new Database(join(home, 'strongroom.db'), { readonly: true });
    try {
      return db.prepare('SELECT position, type, hash, metadata FROM events ORDER BY position').all() as Row[];
    } finally {
      db.close();
    }
  };
  /** A copy of the store with `edit` applied to its file directly, as an attacker with file access would. */
  const tampered = (name: string, edit: (db: Database.Database) => void = () => undefined): string => {
    const home = join(root, name);
    cpSync(template, home, { recursive: true });
    const db = new Database(join(home, 'strongroom.db'));
    try {
      edit(db);
    } finally {
      db.close();
    }
    return home;
  };
  const verify = async (home: string, checkpoint?: { position: number; hash: string }) => {
    const m = await SecretManager.open({ home, initialise: false, logger: quiet });
    try {
      return await m.verifyAuditLog(checkpoint);
    } finally {
      await m.close();
    }
  };
  const hashAt = (home: string, position: number): string => (rowsOf(home).find((r) => r.position === position) as Row).hash;

  it('the store as made verifies, whole and against a checkpoint before the destroy', async () => {
    const home = tampered('copy-intact');
    expect(rowsOf(home).length).toBe(head);
    expect(redacted).toBeLessThan(destroy - 2);
    expect(await verify(home)).toMatchObject({ ok: true, events: head });
    expect(await verify(home, { position: redacted + 2, hash: hashAt(home, redacted + 2) })).toMatchObject({ ok: true, events: head });
  });

  it('a row deleted between the redacted event and its destroy is reported as missing, not the redaction as modified', async () => {
    const hole = redacted + 5;
    const home = tampered('copy-hole', (db) => db.prepare('DELETE FROM events WHERE position = ?').run(hole));
    const expected = { ok: false, firstBad: { position: hole + 1, problem: 'removed', detail: `events ${hole}..${hole} are missing before this one` } };
    expect(await verify(home)).toMatchObject(expected);
    // Against a checkpoint before the hole (and so before the destroy) too.
    expect(await verify(home, { position: redacted + 1, hash: hashAt(home, redacted + 1) })).toMatchObject(expected);
  });

  it('a payload edited between the redacted event and its destroy is the one reported', async () => {
    const edited = redacted + 3;
    const home = tampered('copy-edit', (db) => {
      const row = db.prepare('SELECT metadata FROM events WHERE position = ?').get(edited) as { metadata: string };
      db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(JSON.stringify({ ...(JSON.parse(row.metadata) as object), actor: 'mallory' }), edited);
    });
    expect(await verify(home)).toMatchObject({ ok: false, firstBad: { position: edited, problem: 'modified' } });
  });

  it('a checkpoint that does not match, before the destroy, names the checkpoint position', async () => {
    const home = tampered('copy-checkpoint');
    const at = redacted + 2;
    expect(await verify(home, { position: at, hash: 'f'.repeat(64) })).toMatchObject({
      ok: false,
      firstBad: { position: at, problem: 'modified', detail: 'its hash differs from the exported checkpoint' },
    });
  });

  it('a tail cut before the destroy is reported as truncated against the checkpoint, not the redaction as modified', async () => {
    const home = tampered('copy-cut', (db) => db.prepare('DELETE FROM events WHERE position >= ?').run(destroy));
    expect(await verify(home, { position: head, hash: hashAt(template, head) })).toMatchObject({
      ok: false,
      firstBad: {
        position: destroy,
        problem: 'truncated',
        detail: `the log ends at position ${destroy - 1}, before the checkpoint at ${head}; the redacted payload at position ${redacted} is accounted for by no destroy event that could be verified (it may have been lost to this fault)`,
      },
    });
  });

  it('a real modification before a hole is still reported first (a redaction cannot have made it)', async () => {
    const edited = redacted + 1;
    const hole = redacted + 6;
    const home = tampered('copy-both', (db) => {
      const row = db.prepare('SELECT metadata FROM events WHERE position = ?').get(edited) as { metadata: string };
      db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(JSON.stringify({ ...(JSON.parse(row.metadata) as object), actor: 'mallory' }), edited);
      db.prepare('DELETE FROM events WHERE position = ?').run(hole);
    });
    expect(await verify(home)).toMatchObject({ ok: false, firstBad: { position: edited, problem: 'modified' } });
  });

  it('the CLI says which event is missing and exits 7', async () => {
    assertBuilt();
    const hole = redacted + 5;
    const home = tampered('copy-cli', (db) => db.prepare('DELETE FROM events WHERE position = ?').run(hole));
    const run = await runCli(['--home', home, 'audit', 'verify']);
    expect(run.code).toBe(7);
    expect(run.stderr).toContain(`at position ${hole + 1}`);
    expect(run.stderr).toContain(`removed - events ${hole}..${hole} are missing before this one`);
    expect(run.stderr).not.toContain(`at position ${redacted}`);
  });
});
