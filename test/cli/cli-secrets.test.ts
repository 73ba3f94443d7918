import { readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempHome } from '../support/temp-home.js';
import { assertBuilt, cliIn, parseJson, type CliRun } from './run-cli.js';

/**
 * The `strongroom` CLI end to end: real child processes on one real SQLite home, in the order an operator
 * would use it. The tests share the home and build on each other (each spawn costs about half a second).
 * Needs `dist/` (npm test builds it first).
 */
const VALUES = {
  fromStdin: 'sk_live_from_stdin_Q7xw2',
  fromArg: 'arg-value-Zr81mm',
  multiline: 'line one\nline two\n',
  rotated: 'rotated-value-Kp44td',
  updated: 'updated-value-Hc19aa',
  doomed: 'doomed-value-Yy02nq',
  rejected: 'rejected-value-Ll90bw',
};
const ALL_VALUES = Object.values(VALUES).map((v) => v.trim());

interface Written {
  id: string;
  name: string;
  env: string;
  version: number;
  position: number;
}

const mode = (path: string): number => statSync(path).mode & 0o777;
const expectFailure = (run: CliRun, exit: number, code: string): void => {
  expect({ exit: run.code, stderr: run.stderr }).toEqual({ exit, stderr: expect.stringContaining(`(${code})`) });
  // One line, no stack trace, for an error Strongroom understands (after any warning about the value).
  const error = run.stderr.split('\n').filter((line) => !line.startsWith('warning: ')).join('\n');
  expect(error).toMatch(new RegExp(`^strongroom: [^\\n]+ \\(${code}\\)\\n$`));
};

describe('strongroom CLI (end to end)', () => {
  const { home, cleanup } = tempHome('cli');
  const { run, runs } = cliIn(home);
  let dbPasswordId = '';

  beforeAll(assertBuilt);
  afterAll(cleanup);

  it('init prints the API token once and creates 0600 key files; a second init is ALREADY_INITIALISED (exit 4)', async () => {
    const init = await run(['init']);
    expect(init.code).toBe(0);
    const token = readFileSync(join(home, 'api-token'), 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(40);
    expect(init.stdout.split(token)).toHaveLength(2); // exactly once
    expect(init.stdout).toContain(join(home, 'master.key'));
    expect(init.stdout).toMatch(/back it up/i);
    expect(mode(join(home, 'master.key'))).toBe(0o600);
    expect(mode(join(home, 'api-token'))).toBe(0o600);

    const again = await run(['init']);
    expectFailure(again, 4, 'ALREADY_INITIALISED');
    expect(again.stdout).toBe('');
    const againJson = await run(['init', '--json']);
    expect(againJson.code).toBe(4);
    expect(parseJson(againJson)).toEqual({ error: expect.objectContaining({ code: 'ALREADY_INITIALISED' }) });
    expect(againJson.stdout).not.toContain(token);
  });

  it('add-secret stores stdin byte for byte, or the argument (with a warning); get-secret prints exactly the value', async () => {
    const stored = await run(['add-secret', 'db/password', '--metadata', 'team=payments', '--metadata', 'tier=1', '--json'], { input: VALUES.fromStdin });
    expect(stored.code).toBe(0);
    const written = parseJson<Written>(stored);
    expect(written).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'db/password', env: 'default', version: 1, position: expect.any(Number) });
    dbPasswordId = written.id;

    const fromArg = await run(['add-secret', 'api/key', VALUES.fromArg]);
    expect(fromArg.code).toBe(0);
    expect(fromArg.stderr).toMatch(/^warning: .*shell history/);
    // A pipe stores exactly its bytes: the final newline of a multi-line value is part of it.
    expect((await run(['add-secret', 'tls/chain'], { input: VALUES.multiline })).code).toBe(0);

    const byName = await run(['get-secret', 'db/password']);
    expect(byName).toMatchObject({ code: 0, stdout: VALUES.fromStdin });
    expect((await run(['get-secret', dbPasswordId])).stdout).toBe(VALUES.fromStdin);
    expect((await run(['get-secret', 'tls/chain'])).stdout).toBe(VALUES.multiline);
    // --json before the verb (global) and after it (per verb)
    expect(parseJson(await run(['--json', 'get-secret', 'api/key']))).toMatchObject({ name: 'api/key', version: 1, value: VALUES.fromArg });
    expect(parseJson(await run(['get-secret', 'tls/chain', '--json']))).toMatchObject({ value: VALUES.multiline });
  });

  it('list-secrets shows names, ids, versions and keys, never values', async () => {
    const table = await run(['list-secrets']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^NAME\s+ID\s+VERSION\s+STATUS\s+UPDATED\s+KEY ID\n/);
    expect(table.stdout).toContain(dbPasswordId);
    for (const name of ['db/password', 'api/key', 'tls/chain']) expect(table.stdout).toContain(name);

    const json = await run(['list-secrets', '--json']);
    const list = parseJson<{ name: string; metadata: unknown }[]>(json);
    expect(list.map((s) => s.name).sort()).toEqual(['api/key', 'db/password', 'tls/chain']);
    expect(list.find((s) => s.name === 'db/password')?.metadata).toEqual({ team: 'payments', tier: '1' });
    for (const value of ALL_VALUES) {
      expect(table.stdout).not.toContain(value);
      expect(json.stdout).not.toContain(value);
    }
  });

  it('maps failures to exit codes: conflict 4, not found 3, bad input 2, with --json errors on stdout', async () => {
    expectFailure(await run(['add-secret', 'db/password', VALUES.rejected]), 4, 'SECRET_NAME_CONFLICT');
    expectFailure(await run(['update-secret', 'db/password', VALUES.rejected, '--expected-version', '7']), 4, 'VERSION_CONFLICT');
    expectFailure(await run(['get-secret', 'no/such/secret']), 3, 'SECRET_NOT_FOUND');
    expectFailure(await run(['add-secret', 'bad\u0007name', VALUES.rejected]), 2, 'INVALID_INPUT');
    expectFailure(await run(['add-secret', 'empty/value'], { input: '' }), 2, 'INVALID_INPUT');

    const notFound = await run(['get-secret', 'no/such/secret', '--json']);
    expect(notFound.code).toBe(3);
    expect(parseJson(notFound)).toEqual({ error: expect.objectContaining({ code: 'SECRET_NOT_FOUND', message: expect.any(String) }) });
    expect(notFound.stderr).toBe('');
  });

  it('rotate-secret, update-secret and delete-secret change what get-secret and history show', async () => {
    const rotated = await run(['rotate-secret', 'db/password', '--json'], { input: VALUES.rotated });
    expect(parseJson(rotated)).toMatchObject({ id: dbPasswordId, version: 2 });
    expect((await run(['get-secret', 'db/password'])).stdout).toBe(VALUES.rotated);
    expect((await run(['get-secret', 'db/password', '--version', '1'])).stdout).toBe(VALUES.fromStdin);

    expect((await run(['update-secret', dbPasswordId, '--expected-version', '2'], { input: VALUES.updated })).code).toBe(0);
    expect((await run(['get-secret', dbPasswordId])).stdout).toBe(VALUES.updated);

    const history = parseJson<{ id: string; entries: { version: number; type: string; interface: string }[] }>(await run(['history', 'db/password', '--json']));
    expect(history.id).toBe(dbPasswordId);
    expect(history.entries.map((e) => [e.version, e.type, e.interface])).toEqual([
      [1, 'SecretStored', 'cli'],
      [2, 'SecretRotated', 'cli'],
      [3, 'SecretUpdated', 'cli'],
    ]);
    expect((await run(['history', dbPasswordId])).stdout).toMatch(/SecretRotated/);

    expect((await run(['add-secret', 'temp/doomed', VALUES.doomed])).code).toBe(0);
    expect((await run(['delete-secret', 'temp/doomed'])).code).toBe(0);
    // Within its recovery window a deleted secret is gone for reads (exit 12) until restored or forced out.
    expectFailure(await run(['get-secret', 'temp/doomed']), 12, 'SECRET_DELETED');
    expectFailure(await run(['delete-secret', 'temp/doomed']), 12, 'SECRET_DELETED');
    expect((await run(['delete-secret', 'temp/doomed', '--force'])).code).toBe(0);
    expectFailure(await run(['get-secret', 'temp/doomed']), 3, 'SECRET_NOT_FOUND');
    expectFailure(await run(['delete-secret', 'temp/doomed']), 3, 'SECRET_NOT_FOUND');
  });

  it('rotate-key and rotate-master-key keep every secret readable', async () => {
    const rotation = await run(['rotate-key', '--json']);
    expect(rotation.code).toBe(0);
    const { newKeyId, reEncrypted, failed } = parseJson<{ newKeyId: string; reEncrypted: number; failed: number }>(rotation);
    expect({ reEncrypted, failed }).toEqual({ reEncrypted: 3, failed: 0 });
    const list = parseJson<{ keyId: string }[]>(await run(['list-secrets', '--json']));
    expect(list.every((s) => s.keyId === newKeyId)).toBe(true);
    expect((await run(['get-secret', 'api/key'])).stdout).toBe(VALUES.fromArg);

    const master = parseJson<{ previousKeyFile: string }>(await run(['rotate-master-key', '--json']));
    expect(existsSync(master.previousKeyFile)).toBe(true);
    expect(mode(join(home, 'master.key'))).toBe(0o600);
    expect((await run(['get-secret', 'db/password'])).stdout).toBe(VALUES.updated);
  });

  it('audit log shows every CLI read as SecretAccessed through "cli", and never a value', async () => {
    const trail = await run(['audit', 'log', '--secret', 'db/password', '--json']);
    const entries = parseJson<{ type: string; interface: string; actor: string; version?: number }[]>(trail);
    const reads = entries.filter((e) => e.type === 'SecretAccessed');
    expect(reads.length).toBeGreaterThanOrEqual(5);
    expect(reads.every((e) => e.interface === 'cli' && e.actor.startsWith('local:'))).toBe(true);
    expect(reads.map((e) => e.version)).toContain(1); // the --version 1 read

    const page = parseJson<{ position: number }[]>(await run(['audit', 'log', '--from', '2', '--limit', '3', '--json']));
    expect(page.map((e) => e.position)).toEqual([3, 4, 5]);

    const human = await run(['audit', 'log']);
    expect(human.stdout).toMatch(/SecretAccessed .*local:\S+\s+cli/);
    for (const value of ALL_VALUES) {
      expect(trail.stdout).not.toContain(value);
      expect(human.stdout).not.toContain(value);
    }
  });

  it('audit verify passes (exit 0), then names the first modified event (exit 7)', async () => {
    const intact = await run(['audit', 'verify']);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/intact/);
    const checkpoint = await run(['audit', 'checkpoint']);
    expect(checkpoint.stdout).toMatch(/^\d+:[0-9a-f]{64}\n$/);
    expect((await run(['audit', 'verify', '--checkpoint', checkpoint.stdout.trim()])).code).toBe(0);

    // Someone with write access to the file edits a stored event: a metadata field of the first secret.
    const db = new Database(join(home, 'strongroom.db'));
    const { position } = db.prepare("SELECT position FROM events WHERE type = 'SecretStored' AND json_extract(data, '$.name') = 'db/password'").get() as {
      position: number;
    };
    db.prepare("UPDATE events SET data = json_set(data, '$.metadata.team', 'finance') WHERE position = ?").run(position);
    db.close();

    const broken = await run(['audit', 'verify']);
    expectFailure(broken, 7, 'INTEGRITY_ERROR');
    expect(broken.stderr).toContain(`position ${position} `);
    const brokenJson = await run(['audit', 'verify', '--json']);
    expect(brokenJson.code).toBe(7);
    expect(parseJson(brokenJson)).toEqual({ error: expect.objectContaining({ code: 'INTEGRITY_ERROR', details: expect.objectContaining({ position }) }) });
  });

  it('no run printed a secret value on stderr', () => {
    expect(runs.length).toBeGreaterThan(30);
    for (const { args, stderr } of runs) {
      for (const value of ALL_VALUES) expect({ args, leaked: stderr.includes(value) }).toEqual({ args, leaked: false });
    }
  });
});
