import { copyFileSync, existsSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { assertBuilt, runCli } from '../cli/run-cli.js';
import { keyIdIn, masterStatus, startRotationChild } from '../support/master-key.js';
import { tempHome } from '../support/temp-home.js';

/**
 * A master-key rotation SIGKILLed right after each of its durable steps (a real child process, held at
 * the step through the library's onStep) leaves a store that starts: the next start finishes what the
 * log recorded, master.key then holds the key the log expects, and every secret reads back, history
 * under a retired data key included. Needs dist/ (npm test builds it first).
 */
const quiet = createLogger({ silent: true });

/** Ten secrets, one with two versions, and a data-key rotation, so version 1 is under a retired key. */
const seed = async (home: string): Promise<Map<string, string>> => {
  const m = await SecretManager.open({ home, initialise: true, logger: quiet });
  const values = new Map<string, string>();
  try {
    for (let i = 0; i < 10; i++) values.set(await m.storeSecret(`svc/${i}`, `value-${i}`), `value-${i}`);
    const [first] = values.keys();
    await m.updateSecret('svc/0', 'value-0-v2');
    values.set(first as string, 'value-0-v2');
    await m.rotateKey();
  } finally {
    await m.close();
  }
  return values;
};

/** A later start (the library in this process) reads everything, old versions included, and the log verifies. */
const expectAllReadable = async (home: string, values: ReadonlyMap<string, string>): Promise<void> => {
  const m = await SecretManager.open({ home, initialise: false, logger: quiet });
  try {
    for (const [id, value] of values) expect(await m.getSecret(id)).toBe(value);
    expect(await m.getSecretByName('svc/0', { version: 1 })).toBe('value-0');
    expect((await m.verifyAuditLog()).ok).toBe(true);
  } finally {
    await m.close();
  }
};

const keyFiles = (home: string): string[] => readdirSync(home).filter((n) => n.startsWith('master.key')).sort();

describe('a master-key rotation killed at every step', () => {
  beforeAll(assertBuilt);

  it('killed after writing the new key, before anything is recorded: the old key stays, a new rotation works', async () => {
    const { home, cleanup } = tempHome('mk-crash');
    try {
      const values = await seed(home);
      const original = keyIdIn(join(home, 'master.key'));
      const child = startRotationChild(home, { holdAt: 'key-written' });
      expect(await child.held).toBe(true);
      await child.kill();
      expect(keyFiles(home)).toEqual(['master.key', expect.stringMatching(/^master\.key\.next-[0-9a-f]{16}$/)]);

      const status = await masterStatus(home);
      expect(status).toMatchObject({ masterKeyId: original, pendingRotationId: null, rotations: [] });
      expect(keyIdIn(join(home, 'master.key'))).toBe(original);
      await expectAllReadable(home, values);
      const again = await runCli(['--home', home, 'rotate-master-key', '--json']);
      expect(again.code).toBe(0);
      expect(keyIdIn(join(home, 'master.key'))).toBe((await masterStatus(home)).masterKeyId);
    } finally {
      cleanup();
    }
  }, 60_000);

  it.each(['started', 'previous-kept', 'swapped', 'completed'])(
    'killed after "%s": the next start finishes the rotation and master.key holds the new key',
    async (step) => {
      const { home, cleanup } = tempHome('mk-crash');
      try {
        const values = await seed(home);
        const original = keyIdIn(join(home, 'master.key'));
        const child = startRotationChild(home, { holdAt: step });
        expect(await child.held).toBe(true);
        await child.kill();
        expect(child.output()).not.toContain('DONE');
        // Whatever the kill left, master.key holds a whole key: the old one, or (once swapped) the new one.
        expect(existsSync(join(home, 'master.key'))).toBe(true);

        // Any command is a start: it finishes the swap and records the completion.
        const list = await runCli(['--home', home, 'list-secrets', '--json']);
        expect(list.code).toBe(0);
        const status = await masterStatus(home);
        expect(status.pendingRotationId).toBeNull();
        expect(status.rotations).toEqual([expect.objectContaining({ mode: 'swap', completedAt: expect.any(String) })]);
        expect(status.masterKeyId).not.toBe(original);
        expect(keyIdIn(join(home, 'master.key'))).toBe(status.masterKeyId);
        expect(keyIdIn(join(home, `master.key.previous-${original}`))).toBe(original);
        expect(keyFiles(home)).toEqual(['master.key', `master.key.previous-${original}`]);
        await expectAllReadable(home, values);
      } finally {
        cleanup();
      }
    },
    60_000,
  );

  it.each(['key-written', 'started'])('a two-step rotation killed after "%s" starts with the old key', async (step) => {
    const { home, cleanup } = tempHome('mk-crash-2');
    try {
      const values = await seed(home);
      const file = join(home, 'master.key');
      const original = keyIdIn(file);
      const newKeyFile = join(home, 'operator-new.key');
      const child = startRotationChild(home, { holdAt: step, newKeyFile });
      expect(await child.held).toBe(true);
      await child.kill();
      const fresh = keyIdIn(newKeyFile);

      const status = await masterStatus(home);
      expect(status.masterKeyId).toBe(original);
      expect(keyIdIn(file)).toBe(original);
      await expectAllReadable(home, values);

      // The operator installs the new key anyway (keeping the old one).
      renameSync(file, join(home, 'old.key'));
      copyFileSync(newKeyFile, file);
      const withNew = await runCli(['--home', home, 'list-secrets']);
      if (step === 'key-written') {
        // Never recorded: the new key opens nothing, and the error says which key is expected.
        expect(withNew.code).toBe(6);
        expect(withNew.stderr).toContain(`key id ${fresh}`);
        expect(withNew.stderr).toContain(`expects key id ${original}`);
        renameSync(join(home, 'old.key'), file);
        expect((await masterStatus(home)).masterKeyId).toBe(original);
      } else {
        // Recorded as prepared: the start with the new key in place completes it.
        expect(withNew.code).toBe(0);
        const after = await masterStatus(home);
        expect(after).toMatchObject({ masterKeyId: fresh, pendingRotationId: null });
        expect(after.rotations).toEqual([expect.objectContaining({ mode: 'prepared', completedAt: expect.any(String) })]);
      }
      await expectAllReadable(home, values);
    } finally {
      cleanup();
    }
  }, 60_000);

  it('finishes the swap an older Strongroom left half done (master.key missing, master.key.next holding the key)', async () => {
    const { home, cleanup } = tempHome('mk-legacy-next');
    try {
      const values = await seed(home);
      const file = join(home, 'master.key');
      expect((await runCli(['--home', home, 'rotate-master-key', '--json'])).code).toBe(0);
      const expected = keyIdIn(file);
      // The state a kill between the old code's two renames left: the new key only in master.key.next.
      renameSync(file, join(home, 'master.key.next'));

      const read = await runCli(['--home', home, 'get-secret', 'svc/1']);
      expect({ code: read.code, stdout: read.stdout }).toEqual({ code: 0, stdout: 'value-1' });
      expect(keyIdIn(file)).toBe(expected);
      expect(existsSync(join(home, 'master.key.next'))).toBe(false);
      await expectAllReadable(home, values);
    } finally {
      cleanup();
    }
  }, 60_000);
});
