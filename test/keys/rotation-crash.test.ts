import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { tempHome } from '../support/temp-home.js';

/**
 * Data-key rotation survives a crash at any point: a real child process is SIGKILLed mid-rotation,
 * then the next open resumes and completes the rotation and every secret reads back intact.
 * Needs `dist/` (npm test builds it first).
 */
const CHILD = fileURLToPath(new URL('../support/rotate-child.mjs', import.meta.url));
const SECRETS = 2500; // three chunks of re-encryption
const quiet = createLogger({ silent: true });

const runChild = (home: string, killAt: string): Promise<{ killed: boolean; output: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, home], { env: { ...process.env, KILL_AT: killAt, STRONGROOM_LOG_LEVEL: 'silent' } });
    let output = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!killed && output.includes('READY')) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve({ killed, output }));
  });

const seed = async (home: string): Promise<Map<string, string>> => {
  const manager = await SecretManager.open({ home, initialise: true, logger: quiet });
  const values = new Map<string, string>();
  await Promise.all(
    Array.from({ length: SECRETS }, async (_, i) => {
      const value = `value-${i}-${Math.random().toString(36).slice(2)}`;
      const id = await manager.storeSecret(`service-${i}`, value);
      values.set(id, value);
    }),
  );
  await manager.close();
  return values;
};

describe('key rotation survives a killed process', () => {
  it.each(['started', 'chunk', 'all'])('killed at "%s": the next start resumes and completes the rotation', async (killAt) => {
    const { home, cleanup } = tempHome('crash');
    try {
      const values = await seed(home);
      const { killed, output } = await runChild(home, killAt);
      expect(killed).toBe(true);
      expect(output).not.toContain('DONE');

      const manager = await SecretManager.open({ home, initialise: false, logger: quiet });
      try {
        const history = await manager.getRotationHistory();
        if (history.kind !== 'keys') throw new Error('expected key rotations');
        expect(history.rotations).toHaveLength(1);
        const [rotation] = history.rotations;
        expect(rotation?.completedAt).not.toBeNull();
        expect(rotation?.failures).toEqual([]);
        const summaries = await manager.listSecrets();
        expect(summaries).toHaveLength(SECRETS);
        expect(new Set(summaries.map((s) => s.keyId))).toEqual(new Set([rotation?.newKeyId]));
        expect(rotation?.retiredKeyIds).toEqual(rotation?.previousKeyIds);
        for (const [id, value] of [...values].slice(0, 200)) expect(await manager.getSecret(id)).toBe(value);
        expect((await manager.verifyAuditLog()).ok).toBe(true);
      } finally {
        await manager.close();
      }
    } finally {
      cleanup();
    }
  }, 120_000);

  it('a rotation killed at an arbitrary moment still leaves every secret readable', async () => {
    const { home, cleanup } = tempHome('crash-any');
    try {
      const values = await seed(home);
      const child = spawn(process.execPath, [CHILD, home], { env: { ...process.env, STRONGROOM_LOG_LEVEL: 'silent' } });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      // Once it has started working, kill it a few milliseconds later, wherever it is.
      child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), 5 + Math.random() * 40));
      await exited;
      const manager = await SecretManager.open({ home, initialise: false, logger: quiet });
      try {
        for (const [id, value] of values) expect(await manager.getSecret(id)).toBe(value);
        const history = await manager.getRotationHistory();
        expect(history.kind === 'keys' && history.rotations.every((r) => r.completedAt !== null)).toBe(true);
      } finally {
        await manager.close();
      }
    } finally {
      cleanup();
    }
  }, 120_000);
});
