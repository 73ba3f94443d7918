import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { resolveOptions } from '../../src/config/options.js';
import { serveHttp } from '../../src/interfaces/http/serve-http.js';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { assertBuilt, parseJson, runCli } from '../cli/run-cli.js';
import { ApiClient } from '../http/http-harness.js';
import { codeOfRun, keyIdIn, masterStatus } from '../support/master-key.js';
import { tempHome } from '../support/temp-home.js';

/**
 * A master key Strongroom cannot replace: a read-only bind mount of the key file, as docker-compose's
 * secrets and Kubernetes secret volumes give it. The one-step rotation is refused before anything is
 * appended (never a 500, never a stranded store), and the two-step rotation (new key written where the
 * operator says, the operator swaps the mount, Strongroom completes) works end to end. Needs root for
 * mount(8), like the CI machine; every mount is undone in `finally`.
 */
const quiet = createLogger({ silent: true });
const FIXTURES = new URL('../fixtures/legacy-master-key/', import.meta.url).pathname;

const mountReadOnly = (source: string, target: string): void => {
  try {
    execFileSync('mount', ['--bind', source, target], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`these tests bind-mount key files read-only and need root, as on CI (mount failed: ${String(e)})`);
  }
  try {
    execFileSync('mount', ['-o', 'remount,ro,bind', target], { stdio: 'pipe' });
  } catch (e) {
    execFileSync('umount', [target]);
    throw e;
  }
};
const mounted: string[] = [];
const mountKey = (source: string, target: string): void => {
  mountReadOnly(source, target);
  mounted.push(target);
};
const unmountKey = (target: string): void => {
  execFileSync('umount', [target]);
  mounted.splice(mounted.indexOf(target), 1);
};
const unmountAll = (): void => {
  for (const target of mounted.splice(0).reverse()) execFileSync('umount', [target]);
};

const cli = (home: string) => (args: string[]) => runCli(['--home', home, ...args]);

const seed = async (home: string): Promise<void> => {
  const m = await SecretManager.open({ home, initialise: true, logger: quiet });
  try {
    await m.storeSecret('db/password', 'first');
    await m.updateSecret('db/password', 'second');
    await m.rotateKey(); // version 1 now lies under a retired data key
  } finally {
    await m.close();
  }
};

describe('a master key mounted read-only', () => {
  beforeAll(assertBuilt);
  afterEach(unmountAll);

  it('CLI and library: the one-step rotation is refused before anything is recorded, and the store still starts', async () => {
    const { home, cleanup } = tempHome('mk-ro');
    try {
      await seed(home);
      const file = join(home, 'master.key');
      const original = keyIdIn(file);
      mountKey(file, file);
      const run = cli(home);

      const refused = await run(['rotate-master-key']);
      expect(refused.code).toBe(4);
      expect(refused.stderr).toMatch(/cannot rotate the master key in place: .*master\.key is a mount point.*Nothing was changed/);
      expect(refused.stderr).toContain('--new-key-file');
      expect(refused.stderr).toContain('(KEY_FILE_NOT_WRITABLE)');
      expect(codeOfRun(await run(['rotate-master-key', '--json']))).toBe('KEY_FILE_NOT_WRITABLE');
      const library = await SecretManager.open({ home, initialise: false, logger: quiet });
      try {
        await expect(library.rotateMasterKey()).rejects.toMatchObject({ code: 'KEY_FILE_NOT_WRITABLE', message: expect.stringContaining('newKeyFile') });
      } finally {
        await library.close();
      }

      expect(await masterStatus(home)).toMatchObject({ masterKeyId: original, pendingRotationId: null, rotations: [] });
      expect(readdirSync(home).filter((n) => n.startsWith('master.key'))).toEqual(['master.key']);
      expect((await run(['get-secret', 'db/password'])).stdout).toBe('second');
      expect((await run(['get-secret', 'db/password', '--version', '1'])).stdout).toBe('first');
    } finally {
      unmountAll();
      cleanup();
    }
  }, 60_000);

  it('CLI: two-step rotation; a cancelled one, a refused overwrite, then the mount swapped and completed on start', async () => {
    const { home, cleanup } = tempHome('mk-two-step');
    const { home: outside, cleanup: cleanupOutside } = tempHome('mk-operator');
    try {
      await seed(home);
      const file = join(home, 'master.key');
      const original = keyIdIn(file);
      mountKey(file, file);
      const run = cli(home);

      // A rotation prepared, then abandoned: the old key stays the store's.
      const abandonedFile = join(outside, 'abandoned.key');
      const abandoned = await run(['rotate-master-key', '--new-key-file', abandonedFile, '--json']);
      expect(abandoned.code).toBe(0);
      expect(parseJson(abandoned)).toMatchObject({ status: 'prepared', newKeyFile: abandonedFile, previousMasterKeyId: original });
      expect(statSync(abandonedFile).mode & 0o777).toBe(0o600);
      expect(codeOfRun(await run(['rotate-master-key', '--json']))).toBe('ROTATION_IN_PROGRESS');
      expect(codeOfRun(await run(['rotate-key', '--json']))).toBe('ROTATION_IN_PROGRESS');
      expect(codeOfRun(await run(['rotate-master-key', '--confirm', '--json']))).toBe('INVALID_INPUT');
      expect((await run(['rotate-master-key', '--cancel'])).code).toBe(0);
      expect((await run(['get-secret', 'db/password'])).stdout).toBe('second');

      // A key file is never overwritten.
      const again = await run(['rotate-master-key', '--new-key-file', abandonedFile]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('already exists');
      expect(keyIdIn(abandonedFile)).toBe(parseJson<{ masterKeyId: string }>(abandoned).masterKeyId);

      // Step one; the current key keeps working.
      const newKeyFile = join(outside, 'new.key');
      const prepared = parseJson<{ status: string; masterKeyId: string; rewrapped: number }>(await run(['rotate-master-key', '--new-key-file', newKeyFile, '--json']));
      expect(prepared).toMatchObject({ status: 'prepared', rewrapped: 3 }); // the audit key, the live and the retired data key
      expect((await run(['get-secret', 'db/password', '--version', '1'])).stdout).toBe('first');

      // Step two: the operator swaps the mount; the next start completes the rotation.
      unmountKey(file);
      mountKey(newKeyFile, file);
      expect(keyIdIn(file)).toBe(prepared.masterKeyId);
      const read = await run(['get-secret', 'db/password', '--version', '1']);
      expect({ code: read.code, stdout: read.stdout }).toEqual({ code: 0, stdout: 'first' });
      const status = await masterStatus(home);
      expect(status).toMatchObject({ masterKeyId: prepared.masterKeyId, pendingRotationId: null });
      expect(status.rotations.map((r) => [r.mode, Boolean(r.completedAt), Boolean(r.cancelledAt)])).toEqual([
        ['prepared', false, true],
        ['prepared', true, false],
      ]);
      expect((await run(['rotate-master-key', '--confirm', '--json'])).code).toBe(0); // already complete: says so

      // The abandoned key opens nothing, and the error says why.
      unmountKey(file);
      mountKey(abandonedFile, file);
      const wrong = await run(['list-secrets']);
      expect(wrong.code).toBe(6);
      expect(wrong.stderr).toMatch(/new key of master-key rotation \w+, which was cancelled/);
      expect(wrong.stderr).toContain(`expects key id ${prepared.masterKeyId}`);
      expect(existsSync(join(home, `master.key.previous-${original}`))).toBe(false);
    } finally {
      unmountAll();
      cleanup();
      cleanupOutside();
    }
  }, 90_000);

  it('HTTP: refused with 409 before anything is appended; two-step with an explicit confirm on the running server', async () => {
    const { home, cleanup } = tempHome('mk-http-ro');
    const { home: outside, cleanup: cleanupOutside } = tempHome('mk-http-operator');
    const options = resolveOptions({ env: { STRONGROOM_PORT: '0' }, home });
    let server: Awaited<ReturnType<typeof serveHttp>> | undefined;
    try {
      server = await serveHttp(options, { logger: quiet, initialiseIfEmpty: true });
      const api = new ApiClient(server.url, server.initialised?.apiToken ?? '');
      expect((await api.post('/v1/secrets', { name: 'db/password', value: 'first' })).status).toBe(201);
      const file = options.masterKeyFile;
      mountKey(file, file);

      const refused = await api.post('/v1/keys/master/rotate');
      expect(refused.status).toBe(409);
      expect(refused.json.error).toMatchObject({ code: 'KEY_FILE_NOT_WRITABLE', message: expect.stringContaining('newKeyFile') });
      expect((await api.get('/v1/keys/rotations')).json.master).toMatchObject({ pendingRotationId: null, rotations: [] });

      const newKeyFile = join(outside, 'new.key');
      const prepared = await api.post('/v1/keys/master/rotate', { newKeyFile });
      expect(prepared.status).toBe(200);
      expect(prepared.json).toMatchObject({ status: 'prepared', newKeyFile });
      expect(prepared.text).not.toContain('wrappedKey');
      expect((await api.post('/v1/keys/master/rotate', { newKeyFile: 'relative.key' })).json.error.code).toBe('INVALID_INPUT');
      expect((await api.post('/v1/keys/master/rotate', { newKeyFile: join(outside, 'other.key') })).json.error.code).toBe('ROTATION_IN_PROGRESS');
      expect((await api.post('/v1/keys/master/confirm')).json.error.code).toBe('INVALID_INPUT');
      expect((await api.get('/v1/secrets/db/password')).json.value).toBe('first');

      unmountKey(file);
      mountKey(newKeyFile, file);
      const confirmed = await api.post('/v1/keys/master/confirm');
      expect(confirmed.status).toBe(200);
      expect(confirmed.json).toMatchObject({ status: 'completed', masterKeyId: prepared.json.masterKeyId });
      expect((await api.put('/v1/secrets/db/password', { value: 'second' })).status).toBe(200);
      // Data keys made from now on are wrapped under the new master key: a data-key rotation, then a restart.
      expect((await api.post('/v1/keys/rotate')).status).toBe(200);
      for (const r of api.exchanges) expect(r.status).not.toBe(500);
      await server.close();
      server = undefined;

      const run = cli(home);
      expect((await run(['get-secret', 'db/password'])).stdout).toBe('second');
      expect((await run(['get-secret', 'db/password', '--version', '1'])).stdout).toBe('first');
    } finally {
      await server?.close();
      unmountAll();
      cleanup();
      cleanupOutside();
    }
  }, 90_000);

  it('a store an older Strongroom left crash-looping (EBUSY after recording the rotation) starts again', async () => {
    const { home, cleanup } = tempHome('mk-legacy-ebusy');
    try {
      // The home as the old one-shot rotation left it: MasterKeyRotated recorded, the new key only in
      // master.key.next, the mounted master.key still holding the old key.
      cpSync(join(FIXTURES, 'ebusy'), home, { recursive: true });
      for (const name of readdirSync(home)) chmodSync(join(home, name), 0o600);
      const file = join(home, 'master.key');
      const expected = keyIdIn(join(home, 'master.key.next'));
      mountKey(file, file);
      const run = cli(home);

      const read = await run(['get-secret', 'db/password']);
      expect({ code: read.code, stdout: read.stdout }).toEqual({ code: 0, stdout: 'v1' });
      expect(read.stderr).toContain(`running on master key ${expected} from ${join(home, 'master.key.next')}`);
      expect(read.stderr).toContain('Install');

      // Without the mount, the start puts the key in place for good, keeping the old one.
      unmountKey(file);
      const old = keyIdIn(file);
      expect((await run(['get-secret', 'db/password'])).stdout).toBe('v1');
      expect(keyIdIn(file)).toBe(expected);
      expect(readdirSync(home).filter((n) => n.startsWith('master.key')).sort()).toEqual(['master.key', `master.key.previous-${old}`]);
      expect(await masterStatus(home)).toMatchObject({ masterKeyId: expected, pendingRotationId: null });
    } finally {
      unmountAll();
      cleanup();
    }
  }, 60_000);
});
