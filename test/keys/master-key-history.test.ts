import { chmodSync, cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { assertBuilt, cliIn, parseJson } from '../cli/run-cli.js';
import { keyIdIn } from '../support/master-key.js';
import { tempHome } from '../support/temp-home.js';

/**
 * Rotation keeps data: every data key, retired ones too, is rewrapped under the new master key, so a
 * version written under a retired key reads back after any number of master-key rotations, even once
 * every previous master key file is gone. A store an older Strongroom rotated (retired keys left under
 * the old master key) reads its history again from the kept previous key, and the next rotation
 * rewraps it for good. Needs dist/ (npm test builds it first).
 */
const quiet = createLogger({ silent: true });
const FIXTURES = new URL('../fixtures/legacy-master-key/', import.meta.url).pathname;
const removePreviousKeys = (home: string): void => {
  for (const name of readdirSync(home).filter((n) => n.startsWith('master.key.previous-'))) rmSync(join(home, name));
};

describe('history after master-key rotations', () => {
  beforeAll(assertBuilt);

  it('CLI: version 1 under a retired data key reads back after three master-key rotations, without any previous key file', async () => {
    const { home, cleanup } = tempHome('mk-history');
    const { run, runs } = cliIn(home);
    try {
      expect((await run(['init', '--json'])).code).toBe(0);
      expect((await run(['add-secret', 'db/password'], { input: 'version-one' })).code).toBe(0);
      expect((await run(['update-secret', 'db/password'], { input: 'version-two' })).code).toBe(0);
      expect(parseJson<{ retiredKeyIds: string[] }>(await run(['rotate-key', '--json'])).retiredKeyIds).toHaveLength(1);
      const rotations = [];
      for (let i = 0; i < 3; i++) {
        rotations.push(await run(['rotate-master-key', '--json']));
        expect((await run(['rotate-key', '--json'])).code).toBe(0);
      }
      const first = await run(['get-secret', 'db/password', '--version', '1']);
      expect({ code: first.code, stdout: first.stdout, stderr: first.stderr }).toEqual({ code: 0, stdout: 'version-one', stderr: '' });
      // The audit key and every data key, retired ones included, each time.
      expect(rotations.map((r) => parseJson<{ status: string; rewrapped: number }>(r))).toEqual([3, 4, 5].map((n) => expect.objectContaining({ status: 'completed', rewrapped: n })));

      // History no longer depends on any previous master key.
      removePreviousKeys(home);
      expect((await run(['get-secret', 'db/password', '--version', '1'])).stdout).toBe('version-one');
      expect((await run(['get-secret', 'db/password'])).stdout).toBe('version-two');
      expect((await run(['audit', 'verify'])).code).toBe(0);
      for (const r of runs) expect(r.stdout + r.stderr).not.toMatch(/crypto-shred/i);
    } finally {
      cleanup();
    }
  }, 90_000);

  it('library: rotateMasterKey keeps every version readable, in the same process and after reopening', async () => {
    const { home, cleanup } = tempHome('mk-history-lib');
    try {
      let m = await SecretManager.open({ home, initialise: true, logger: quiet });
      await m.storeSecret('api/key', 'one');
      await m.rotateSecret('api/key', 'two');
      await m.rotateKey();
      const result = await m.rotateMasterKey();
      expect(await m.getSecretByName('api/key', { version: 1 })).toBe('one');
      await m.close();
      m = await SecretManager.open({ home, initialise: false, logger: quiet });
      expect(await m.getSecretByName('api/key', { version: 1 })).toBe('one');
      await m.close();
      expect(result).toMatchObject({ status: 'completed', rewrapped: 3, masterKeyFile: join(home, 'master.key') });
      expect(keyIdIn(join(home, 'master.key'))).toBe(result.masterKeyId);
      removePreviousKeys(home);
      m = await SecretManager.open({ home, initialise: false, logger: quiet });
      expect(await m.getSecretByName('api/key', { version: 1 })).toBe('one');
      expect(await m.getSecretByName('api/key')).toBe('two');
      const history = await m.getRotationHistory();
      expect(history.kind === 'keys' && history.master).toMatchObject({ masterKeyId: result.masterKeyId, pendingRotationId: null });
      await m.close();
    } finally {
      cleanup();
    }
  }, 60_000);

  it('a store an older Strongroom rotated reads its history again, and keeps it after the next rotation', async () => {
    const { home, cleanup } = tempHome('mk-history-legacy');
    const { run } = cliIn(home);
    try {
      // An older Strongroom's home: rotate-key, then a one-shot rotate-master-key that left the retired
      // data key (version 1's) wrapped only under the previous master key, kept beside master.key.
      cpSync(join(FIXTURES, 'rotated'), home, { recursive: true });
      for (const name of readdirSync(home)) chmodSync(join(home, name), 0o600);
      const first = await run(['get-secret', 'db/password', '--version', '1']);
      expect({ code: first.code, stdout: first.stdout }).toEqual({ code: 0, stdout: 'v1' });

      expect(parseJson<{ rewrapped: number }>(await run(['rotate-master-key', '--json'])).rewrapped).toBe(3);
      removePreviousKeys(home);
      expect((await run(['get-secret', 'db/password', '--version', '1'])).stdout).toBe('v1');
      expect((await run(['get-secret', 'db/password'])).stdout).toBe('v2');
      expect((await run(['audit', 'verify'])).code).toBe(0);
    } finally {
      cleanup();
    }
  }, 60_000);

  it('without the previous key, an older rotation’s retired key is named as unavailable and what to restore, never as shredded', async () => {
    const { home, cleanup } = tempHome('mk-history-lost');
    const { run } = cliIn(home);
    try {
      cpSync(join(FIXTURES, 'rotated'), home, { recursive: true });
      for (const name of readdirSync(home)) chmodSync(join(home, name), 0o600);
      const [previous] = readdirSync(home).filter((n) => n.startsWith('master.key.previous-'));
      rmSync(join(home, previous as string));
      const first = await run(['get-secret', 'db/password', '--version', '1']);
      expect(first.code).toBe(6);
      expect(first.stderr).toContain(previous);
      expect(first.stderr).not.toMatch(/shred/i);
      expect((await run(['get-secret', 'db/password'])).stdout).toBe('v2');
    } finally {
      cleanup();
    }
  }, 60_000);
});
