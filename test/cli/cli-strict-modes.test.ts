import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempHome } from '../support/temp-home.js';
import { assertBuilt, cliIn, parseJson, type CliRun } from './run-cli.js';

/**
 * A home is trusted only while nobody but its owner (or root) can change it, as OpenSSH's StrictModes
 * judges ~/.ssh: the home, the key and token files, their directories and the directories above. The
 * tests run as root, so "another user" is uid 65534 (nobody).
 */
const VALUE = 'strict-modes-value-Hn29';
const NOBODY = 65534;
const uid = process.geteuid?.() ?? 0;

const expectRefused = (run: CliRun, fix: string): void => {
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 6, stdout: '' });
  expect(run.stderr).toMatch(/^strongroom: refusing to use the .+ \(KEY_UNAVAILABLE\)\n$/);
  expect(run.stderr).toContain(fix);
  expect(run.stderr).not.toContain(VALUE);
};

/** An initialised home holding one secret. */
const homeWithSecret = async (home: string, env: NodeJS.ProcessEnv = {}): Promise<ReturnType<typeof cliIn>> => {
  const cli = cliIn(home);
  expect((await cli.run(['init'], { env })).code).toBe(0);
  expect((await cli.run(['add-secret', 'db/password', VALUE], { env })).code).toBe(0);
  return cli;
};

describe('strongroom CLI: StrictModes for the home, key and token files', () => {
  beforeAll(assertBuilt);

  it('a world-writable home (chmod 777) is refused with exit 6 and `chmod 700`; fixed, it works again', async () => {
    const { home, cleanup } = tempHome('strict-777');
    try {
      const { run } = await homeWithSecret(home);
      chmodSync(home, 0o777);
      expectRefused(await run(['get-secret', 'db/password']), `chmod 700 ${home}`);
      const json = await run(['get-secret', 'db/password', '--json']);
      expect(parseJson(json)).toEqual({ error: expect.objectContaining({ code: 'KEY_UNAVAILABLE', message: expect.stringContaining(`directory ${home} is writable by group or others (mode 777)`) }) });
      expectRefused(await run(['serve', '--port', '0'], { timeoutMs: 60_000 }), `chmod 700 ${home}`);

      chmodSync(home, 0o700);
      const read = await run(['get-secret', 'db/password']);
      expect({ code: read.code, value: read.stdout.trim() }).toEqual({ code: 0, value: VALUE });
    } finally {
      cleanup();
    }
  });

  it("another user's API token planted in a world-writable home is never accepted", async () => {
    const { home, cleanup } = tempHome('strict-token');
    try {
      const { run } = await homeWithSecret(home);
      chmodSync(home, 0o777);
      // What another local user can do to a world-writable home: replace the token with their own 0600 file.
      const tokenFile = join(home, 'api-token');
      rmSync(tokenFile);
      writeFileSync(tokenFile, 'attacker-chosen-token\n', { mode: 0o600 });
      chownSync(tokenFile, NOBODY, NOBODY);
      expectRefused(await run(['serve', '--port', '0'], { timeoutMs: 60_000 }), `chmod 700 ${home}`);

      // The home fixed but the planted file still there: refused for its owner.
      chmodSync(home, 0o700);
      const serve = await run(['serve', '--port', '0'], { timeoutMs: 60_000 });
      expectRefused(serve, `chown ${uid} ${tokenFile}`);
      expect(serve.stderr).toContain(`owned by uid ${NOBODY}`);
      expect(serve.stderr).not.toContain('attacker-chosen-token');
    } finally {
      cleanup();
    }
  });

  it('a group-writable directory holding the master key is refused with `chmod 700` for that directory', async () => {
    const { home, cleanup } = tempHome('strict-keydir');
    const keyDir = join(home, 'keys');
    const env = { STRONGROOM_MASTER_KEY_FILE: join(keyDir, 'master.key') };
    try {
      const { run } = await homeWithSecret(home, env);
      chmodSync(keyDir, 0o770);
      expectRefused(await run(['get-secret', 'db/password'], { env }), `chmod 700 ${keyDir}`);
      chmodSync(keyDir, 0o700);
      expect((await run(['get-secret', 'db/password'], { env })).code).toBe(0);
    } finally {
      cleanup();
    }
  });

  it('a master key file or a home owned by another user is refused with `chown`', async () => {
    const { home, cleanup } = tempHome('strict-owner');
    try {
      const { run } = await homeWithSecret(home);
      const keyFile = join(home, 'master.key');
      chownSync(keyFile, NOBODY, NOBODY);
      const refused = await run(['get-secret', 'db/password']);
      expectRefused(refused, `chown ${uid} ${keyFile}`);
      expect(refused.stderr).toContain(`owned by uid ${NOBODY}, not by this user (uid ${uid}) or root`);
      chownSync(keyFile, uid, uid);

      chownSync(home, NOBODY, NOBODY);
      expectRefused(await run(['list-secrets']), `chown ${uid} ${home}`);
      chownSync(home, uid, uid);
      expect((await run(['list-secrets'])).code).toBe(0);
    } finally {
      cleanup();
    }
  });

  it('a world-writable directory above the home is accepted with the sticky bit (like /tmp), refused without it', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'strongroom-sticky-'));
    const home = join(parent, 'home');
    try {
      chmodSync(parent, 0o1777);
      mkdirSync(home, { mode: 0o700 });
      const { run } = await homeWithSecret(home);
      expect((await run(['get-secret', 'db/password'])).stdout.trim()).toBe(VALUE);

      chmodSync(parent, 0o777);
      expectRefused(await run(['get-secret', 'db/password']), `chmod go-w ${parent}`);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('a store URL file open to others is a configuration error (exit 2, INVALID_INPUT), not a key error', async () => {
    const { home, cleanup } = tempHome('strict-store-file');
    try {
      const storeFile = join(home, 'store-url');
      writeFileSync(storeFile, `sqlite:${join(home, 'strongroom.db')}\n`, { mode: 0o644 });
      chmodSync(storeFile, 0o644);
      const { run } = cliIn(home);
      const open = await run(['init'], { env: { STRONGROOM_STORE_FILE: storeFile } });
      expect({ code: open.code, stdout: open.stdout }).toEqual({ code: 2, stdout: '' });
      expect(open.stderr).toBe(
        `strongroom: refusing to use the store URL file ${storeFile}: it is accessible to group or others (mode 644); run \`chmod 600 ${storeFile}\` (INVALID_INPUT)\n`,
      );
      const missing = await run(['init'], { env: { STRONGROOM_STORE_FILE: join(home, 'nope') } });
      expect({ code: missing.code, stderr: missing.stderr }).toEqual({ code: 2, stderr: `strongroom: store URL file not found at ${join(home, 'nope')} (INVALID_INPUT)\n` });

      chmodSync(storeFile, 0o600);
      expect((await run(['init'], { env: { STRONGROOM_STORE_FILE: storeFile } })).code).toBe(0);
      expect(readFileSync(storeFile, 'utf8')).toContain('sqlite:');
    } finally {
      cleanup();
    }
  });

  it('a SQLite store file, its -wal or its directory open to others is refused with exit 6 and the chmod', async () => {
    const { home, cleanup } = tempHome('strict-sqlite');
    const dir = join(home, 'stores');
    const db = join(dir, 'pub.db');
    const env = { STRONGROOM_STORE: `sqlite:${db}` };
    try {
      const { run } = await homeWithSecret(home, env);
      chmodSync(db, 0o666);
      const refused = await run(['get-secret', 'db/password'], { env });
      expectRefused(refused, `chmod 600 ${db}`);
      expect(refused.stderr).toContain(`refusing to use the SQLite store file ${db}: it is accessible to group or others (mode 666)`);
      chmodSync(db, 0o600);

      // A -wal another user can write is a log another user can append to.
      writeFileSync(`${db}-wal`, '', { mode: 0o666 });
      chmodSync(`${db}-wal`, 0o666);
      expectRefused(await run(['get-secret', 'db/password'], { env }), `chmod 600 ${db}-wal`);
      rmSync(`${db}-wal`);

      chmodSync(dir, 0o777);
      expectRefused(await run(['get-secret', 'db/password'], { env }), `chmod 700 ${dir}`);
      chmodSync(dir, 0o700);
      const read = await run(['get-secret', 'db/password'], { env });
      expect({ code: read.code, value: read.stdout.trim() }).toEqual({ code: 0, value: VALUE });

      // A copy into a store file open to others is refused before anything is written to it.
      const target = join(dir, 'copy.db');
      writeFileSync(target, '', { mode: 0o644 });
      chmodSync(target, 0o644);
      expectRefused(await run(['store', 'copy', '--to', `sqlite:${target}`], { env }), `chmod 600 ${target}`);
      expect(readFileSync(target).length).toBe(0);
    } finally {
      cleanup();
    }
  });

  it('init refused for a world-writable parent leaves nothing behind: no home, no store directory, no store file', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'strongroom-refused-init-'));
    const ok = mkdtempSync(join(tmpdir(), 'strongroom-refused-init-ok-'));
    try {
      chmodSync(parent, 0o777);
      const home = join(parent, 'home', 'deeper');
      expectRefused(await cliIn(home).run(['init']), `chmod go-w ${parent}`);
      expect(readdirSync(parent)).toEqual([]);

      // The home is fine but the store's or the master key's directory is not: the home goes too.
      const store = { STRONGROOM_STORE: `sqlite:${join(parent, 'stores', 'x.db')}` };
      expectRefused(await cliIn(join(ok, 'home')).run(['init'], { env: store }), `chmod go-w ${parent}`);
      const key = { STRONGROOM_MASTER_KEY_FILE: join(parent, 'keys', 'master.key') };
      expectRefused(await cliIn(join(ok, 'home')).run(['init'], { env: key }), `chmod go-w ${parent}`);
      expect({ parent: readdirSync(parent), ok: readdirSync(ok) }).toEqual({ parent: [], ok: [] });

      chmodSync(parent, 0o755);
      expect((await cliIn(home).run(['init'])).code).toBe(0);
    } finally {
      rmSync(parent, { recursive: true, force: true });
      rmSync(ok, { recursive: true, force: true });
    }
  });
});
