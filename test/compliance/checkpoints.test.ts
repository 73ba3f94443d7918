import Database from 'better-sqlite3';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { publicKeyFromPem, signCheckpoint, signingKeyId, type SignedCheckpoint } from '../../src/compliance/checkpoint.js';
import { SecretManager, exportLines, verifyExport } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { codeOf, failure } from '../support/code-of.js';
import { dropSchema, freshSchemaName, testPostgresUrl, withClient, withSchema } from '../support/pg-test-db.js';
import { tempHome } from '../support/temp-home.js';

/**
 * Signed checkpoints, exports and the public verifier, through the library on a real SQLite file and
 * on the real PostgreSQL. Every tampering is real: lines of an exported file edited, removed, swapped,
 * duplicated or cut; rows of the store updated with SQL; checkpoints forged or signed with another key.
 */
const quiet = createLogger({ silent: true });

describe.each(['sqlite', 'postgres'] as const)('checkpoints an auditor verifies alone (%s)', (backend) => {
  let home: string;
  let cleanup: () => void;
  let store: string | undefined;
  let schema: string | undefined;
  let base: string;
  let manager: SecretManager;
  let kept: string;
  let publicKeyPem: string;
  const open = (env: Record<string, string> = {}): Promise<SecretManager> =>
    SecretManager.open({
      home,
      ...(store !== undefined && { store }),
      initialise: true,
      logger: quiet,
      actor: 'auditor',
      env: { STRONGROOM_LIFECYCLE_INTERVAL_MS: '0', STRONGROOM_CHECKPOINT_DIR: kept, ...env },
    });

  /** Writes an export of the whole log (or from a position) to a new directory; returns it. */
  const exportTo = async (name: string, from?: number): Promise<string> => {
    const dir = join(home, name);
    mkdirSync(dir);
    const exported = await manager.exportAuditLog(from === undefined ? {} : { from });
    await pipeline(Readable.from(exportLines(exported)), createWriteStream(join(dir, 'events.jsonl')));
    return dir;
  };
  const verify = (dir: string, options: { checkpoints?: boolean; key?: string } = {}) =>
    verifyExport({ exportPath: dir, publicKeyPem: options.key ?? publicKeyPem, ...(options.checkpoints !== false && { checkpointsDir: kept }) });
  const linesOf = (dir: string): string[] => readFileSync(join(dir, 'events.jsonl'), 'utf8').trimEnd().split('\n');
  const rewrite = (dir: string, lines: readonly string[]): void => writeFileSync(join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
  const lineAt = (lines: readonly string[], position: number): number => lines.findIndex((l) => (JSON.parse(l) as { position?: number }).position === position);

  /** Some history with two checkpoints and events after the last one. */
  const history = async (): Promise<{ first: SignedCheckpoint; second: SignedCheckpoint }> => {
    await manager.storeSecret('db/password', 'hunter2-plaintext');
    await manager.getSecretByName('db/password');
    const first = (await manager.signCheckpoint()).checkpoint as SignedCheckpoint;
    await manager.updateSecret('db/password', 'second-plaintext');
    await manager.createToken({ principal: 'payments', root: true });
    await manager.getSecretByName('db/password');
    const second = (await manager.signCheckpoint()).checkpoint as SignedCheckpoint;
    await manager.storeSecret('db/later', 'later-plaintext');
    return { first, second };
  };

  beforeEach(async () => {
    ({ home, cleanup } = tempHome('checkpoints'));
    kept = join(home, 'kept-checkpoints');
    if (backend === 'postgres') {
      base = await testPostgresUrl();
      schema = freshSchemaName();
      store = withSchema(base, schema);
    }
    manager = await open();
    publicKeyPem = await manager.auditPublicKey();
  });
  afterEach(async () => {
    await manager.close();
    if (schema) await dropSchema(base, schema);
    cleanup();
  });

  it('signs a chain of checkpoints, exports metadata and digests only, and the export verifies with the public key alone', async () => {
    const { first, second } = await history();
    expect(first).toMatchObject({ sequence: 1, previousSignature: null });
    expect(second).toMatchObject({ sequence: 2, previousSignature: first.signature });
    expect(second.position).toBeGreaterThan(first.position);
    // The key file is private and beside the master key; checkpoints were also written to the directory.
    expect(statSync(join(home, 'audit-signing.key')).mode & 0o777).toBe(0o600);
    expect(readdirSync(kept)).toHaveLength(2);

    const dir = await exportTo('export');
    const text = readFileSync(join(dir, 'events.jsonl'), 'utf8');
    expect(text).not.toMatch(/plaintext|gAAAAA|PRIVATE KEY/);
    expect(text).toContain('"ciphertext":"withheld"');
    const result = await verify(dir);
    expect(result).toMatchObject({ ok: true, checkpoints: 2, lastCheckpoint: { sequence: 2, position: second.position } });
    expect(result.unanchored).toBeGreaterThan(0);
    // Without the kept files the export's own checkpoint events suffice.
    expect(await verify(dir, { checkpoints: false })).toMatchObject({ ok: true, checkpoints: 2 });
  });

  it('detects events modified, removed, inserted, reordered and truncated before the last checkpoint in an exported file', async () => {
    const { second } = await history();
    const dir = await exportTo('export');
    const original = linesOf(dir);
    const target = lineAt(original, 5);

    const modified = [...original];
    modified[target] = (modified[target] as string).replace(/"actor":"[^"]*"/, '"actor":"mallory"');
    rewrite(dir, modified);
    expect((await verify(dir)).problem?.problem).toBe('modified');

    rewrite(dir, original.filter((_, i) => i !== target));
    expect((await verify(dir)).problem).toMatchObject({ problem: 'removed', position: 5 });

    const swapped = [...original];
    [swapped[target], swapped[target + 1]] = [swapped[target + 1] as string, swapped[target] as string];
    rewrite(dir, swapped);
    expect((await verify(dir)).problem?.problem).toBe('inserted-or-reordered');

    rewrite(dir, [...original.slice(0, target + 1), original[target] as string, ...original.slice(target + 1)]);
    expect((await verify(dir)).problem?.problem).toBe('inserted-or-reordered');

    // Cut before the last checkpoint (its own event goes too): only the kept checkpoints can tell.
    const cut = original.slice(0, lineAt(original, second.position));
    rewrite(dir, cut);
    expect((await verify(dir)).problem?.problem).toBe('truncated');
    expect((await verify(dir, { checkpoints: false })).ok).toBe(true);

    // The header too: another version, or a field it does not check, is refused.
    for (const header of [original[0]?.replace('"version":1', '"version":99'), original[0]?.replace(/\}$/, ',"note":"trust me"}')]) {
      rewrite(dir, [header as string, ...original.slice(1)]);
      expect((await verify(dir)).problem?.problem).toBe('malformed');
    }

    // A key repeated inside a covered line (a parser keeping the first would read "mallory") is a modification.
    const repeated = [...original];
    repeated[target] = (repeated[target] as string).replace(/"metadata":\{/, '"metadata":{"actor":"mallory",');
    rewrite(dir, repeated);
    expect((await verify(dir)).problem).toMatchObject({ problem: 'modified', position: 5 });

    // A field added beside the covered ones (a reader would believe it) is a modification.
    const added = [...original];
    added[target] = (added[target] as string).replace(/^\{/, '{"actor":"mallory",');
    rewrite(dir, added);
    expect((await verify(dir)).problem).toMatchObject({ problem: 'modified', position: 5 });

    // Cut before the first checkpoint and edited: with no signature left, nothing is proven, so it fails.
    const unsigned = original.slice(0, lineAt(original, 5) + 1);
    unsigned[target] = (unsigned[target] as string).replace(/"actor":"[^"]*"/, '"actor":"mallory"');
    rewrite(dir, unsigned);
    expect((await verify(dir, { checkpoints: false })).problem?.problem).toBe('unsigned');
    rewrite(dir, original.slice(0, 1));
    expect((await verify(dir, { checkpoints: false })).problem?.problem).toBe('unsigned');

    rewrite(dir, original);
    expect((await verify(dir)).ok).toBe(true);
  });

  it('refuses forged checkpoints: an altered one, one signed by another key, and a wrong public key', async () => {
    await history();
    const dir = await exportTo('export');
    const files = readdirSync(kept).sort();
    const path = join(kept, files[1] as string);
    const genuine = readFileSync(path, 'utf8');
    const c = JSON.parse(genuine) as SignedCheckpoint;

    writeFileSync(path, JSON.stringify({ ...c, position: c.position - 1 }));
    expect((await verify(dir)).problem?.problem).toBe('forged-checkpoint');
    expect((await verify(dir)).problem?.detail).toMatch(new RegExp(`names key ${c.keyId}, but its signature does not verify`));

    // Signed by another key but naming ours: a forgery.
    const other = generateKeyPairSync('ed25519');
    writeFileSync(path, JSON.stringify(signCheckpoint({ ...c, publicHead: 'f'.repeat(64) }, other.privateKey)));
    expect((await verify(dir)).problem?.problem).toBe('forged-checkpoint');

    // The wrong public key given: the checkpoints name another key. Said as such, not as a forgery of the given key.
    writeFileSync(path, genuine);
    const otherPem = other.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const wrongKey = await verify(dir, { key: otherPem });
    expect(wrongKey.problem?.problem).toBe('other-signing-key');
    expect(wrongKey.problem?.detail).toMatch(new RegExp(`is signed by key ${c.keyId}; the public key given is ${signingKeyId(publicKeyFromPem(otherPem))}: use that key's public key \\(strongroom audit public-key\\)`));
    expect((await verify(dir)).ok).toBe(true);
  });

  it('detects a row of the store changed after a checkpoint signed it, and still verifies after a destroy redacts ciphertexts', async () => {
    const { second } = await history();
    await manager.destroySecret('db/password', { versions: [1] });
    expect((await verify(await exportTo('after-destroy'))).ok).toBe(true);

    // Someone with the database (even with the master key, who could re-seal the keyed chain) edits an event.
    const changeActor = `UPDATE events SET metadata = replace(metadata, '"actor":"auditor"', '"actor":"mallory"') WHERE position = 5`;
    await manager.close();
    if (backend === 'sqlite') {
      const db = new Database(join(home, 'strongroom.db'));
      db.prepare(changeActor).run();
      db.close();
    } else {
      await withClient(base, (client) => client.query(changeActor.replace('UPDATE events', `UPDATE "${schema}".events`)));
    }
    manager = await open();
    const result = await verify(await exportTo('after-tamper'));
    expect(result.ok).toBe(false);
    expect(result.problem?.problem).toBe('modified');
    expect(result.problem?.position).toBeLessThanOrEqual(second.position);
  });

  it('exports from any position (a SIEM resuming), anchored by the checkpoint there or the next one; a made-up start is caught; never forks the chain of signatures', async () => {
    const { first, second } = await history();
    const partial = await exportTo('partial', first.position);
    expect(await verify(partial)).toMatchObject({ ok: true, from: first.position });

    // Resuming after the last line kept, between two checkpoints: the second checkpoint anchors it.
    const resumed = await exportTo('resumed', first.position + 2);
    const kept = await verify(resumed);
    expect(kept).toMatchObject({ ok: true, from: first.position + 2, checkpoints: 1, lastCheckpoint: { sequence: 2 } });
    expect(kept.unanchored).toBe(kept.lastPosition - second.position);
    // ... and its lines are exactly the full export's lines after that position.
    const full = linesOf(await exportTo('full-for-resume')).slice(1);
    const at = (l: string): number => (JSON.parse(l) as { position: number }).position;
    expect(linesOf(resumed).slice(1)).toEqual(full.filter((l) => at(l) > first.position + 2 && at(l) <= kept.lastPosition));
    // A header whose starting head was made up (to pass off forged events) fails at the next checkpoint.
    const forged = linesOf(resumed);
    forged[0] = JSON.stringify({ ...(JSON.parse(forged[0] as string) as object), publicHead: 'f'.repeat(64) });
    rewrite(resumed, forged);
    expect((await verify(resumed)).problem?.problem).toBe('modified');
    // After the last checkpoint nothing anchors it yet: no signature covers it, so it is not verified.
    expect((await verify(await exportTo('tail', second.position + 1))).problem?.problem).toBe('unsigned');
    expect(await codeOf(manager.exportAuditLog({ from: 1_000_000 }))).toBe('INVALID_INPUT');

    const results = await Promise.all([manager.signCheckpoint(), manager.signCheckpoint(), manager.signCheckpoint()]);
    expect(results.map((r) => r.checkpoint?.sequence).sort()).toEqual([3, 4, 5]);
    expect((await verify(await exportTo('all'))).checkpoints).toBe(5);
  });

  it('refuses a signing key file others can read', async () => {
    await manager.close();
    chmodSync(join(home, 'audit-signing.key'), 0o640);
    manager = await open();
    expect(await codeOf(manager.signCheckpoint())).toBe('KEY_UNAVAILABLE');
    chmodSync(join(home, 'audit-signing.key'), 0o600);
  });

  it('never makes a new signing key once a checkpoint is signed: a missing or different key file is KEY_UNAVAILABLE', async () => {
    const keyFile = join(home, 'audit-signing.key');
    await manager.storeSecret('k/a', 'v');
    const first = (await manager.signCheckpoint()).checkpoint as SignedCheckpoint;
    const original = readFileSync(keyFile);
    await manager.close();

    // Lost: no key is made in silence, neither by signing nor by exporting the public key.
    rmSync(keyFile);
    manager = await open();
    const missing = await failure(manager.signCheckpoint());
    expect(missing).toMatchObject({ code: 'KEY_UNAVAILABLE' });
    expect(missing.message).toContain(first.keyId);
    expect(await codeOf(manager.auditPublicKey())).toBe('KEY_UNAVAILABLE');
    expect(existsSync(keyFile)).toBe(false);
    await manager.close();

    // Another key (a replica given its own): refused, naming both.
    writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    manager = await open();
    const other = await failure(manager.signCheckpoint());
    expect(other).toMatchObject({ code: 'KEY_UNAVAILABLE' });
    expect(other.message).toContain(first.keyId);
    await manager.close();

    // Restored: signing goes on, and the chain verifies with the first public key.
    writeFileSync(keyFile, original, { mode: 0o600 });
    manager = await open();
    expect((await manager.signCheckpoint()).checkpoint).toMatchObject({ sequence: 2, previousSignature: first.signature, keyId: first.keyId });
    expect(await verify(await exportTo('after-restore'))).toMatchObject({ ok: true, checkpoints: 2 });
  });

  it('signs by itself every N events when configured (a long-lived process)', async () => {
    await manager.close();
    manager = await open({ STRONGROOM_CHECKPOINT_EVERY_EVENTS: '3' });
    for (let i = 0; i < 4; i++) await manager.storeSecret(`s${i}`, 'v');
    // The timer looks every 10 s; wait generously for its first signature.
    const deadline = Date.now() + 60_000;
    while (!existsSync(kept) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(readdirSync(kept).length).toBeGreaterThan(0);
  }, 90_000);
});
