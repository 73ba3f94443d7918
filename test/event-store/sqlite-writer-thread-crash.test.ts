import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { tempHome } from '../support/temp-home.js';

/**
 * A write answers only once durable, with the commits in the writer thread too: a real process storing
 * secrets from 64 callers is SIGKILLed (thread and all) in the middle of its group commits; every store
 * it had answered is there after a restart, readable, and the chain verifies. Needs `dist/` (npm test
 * builds it first).
 */
const CHILD = fileURLToPath(new URL('../support/store-child.mjs', import.meta.url));
const quiet = createLogger({ silent: true });

const storeUntilKilled = (home: string, acks: number): Promise<Map<string, string>> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, home], { env: { ...process.env, STRONGROOM_LOG_LEVEL: 'silent' } });
    const acknowledged = new Map<string, string>();
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const lines = output.split('\n');
      output = lines.pop() ?? '';
      for (const line of lines) {
        const [word, id, value] = line.split(' ');
        if (word === 'ack' && id !== undefined && value !== undefined) acknowledged.set(id, value);
      }
      if (acknowledged.size >= acks && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(acknowledged);
      else reject(new Error(`the child exited by itself (${String(_code)}): ${errors}`));
    });
  });

describe('the SQLite writer thread, killed mid-commit', () => {
  it('loses no acknowledged store, and the chain verifies after a restart', async () => {
    const { home, cleanup } = tempHome('thread-crash');
    try {
      await (await SecretManager.open({ home, initialise: true, logger: quiet })).close();
      const acknowledged = await storeUntilKilled(home, 2_000);
      expect(acknowledged.size).toBeGreaterThanOrEqual(2_000);

      const manager = await SecretManager.open({ home, initialise: false, logger: quiet, env: { ...process.env, STRONGROOM_SQLITE_WORKER: '1' } });
      try {
        for (const [id, value] of acknowledged) expect({ id, value: await manager.getSecret(id) }).toEqual({ id, value });
        expect(await manager.verifyAuditLog()).toMatchObject({ ok: true });
        // The restarted store writes on: the thread continues the chain after the crash.
        const after = await manager.storeSecret('after-crash', 'after-value');
        expect(await manager.getSecret(after)).toBe('after-value');
        expect(await manager.verifyAuditLog()).toMatchObject({ ok: true });
      } finally {
        await manager.close();
      }
    } finally {
      cleanup();
    }
  });
});
