import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempHome } from '../support/temp-home.js';

/**
 * `npm start` as operators run it: `node dist/main.js` in a child process, stopped with SIGTERM.
 * Needs `dist/` (npm test builds it first).
 */
const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const TOKEN_LINE = /^Root API token \(shown once, also in (.+)\): (\S+)$/;

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
}

/** Starts the service, waits until it listens, lets `whileUp` talk to it, then sends SIGTERM. */
const runService = (home: string, whileUp: (url: string) => Promise<void>): Promise<Run> =>
  new Promise((resolve, reject) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('STRONGROOM_')));
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [MAIN], {
      env: { ...env, STRONGROOM_HOME: home, STRONGROOM_PORT: '0', STRONGROOM_LOG_LEVEL: 'info' },
    });
    let stdout = '';
    let stderr = '';
    let started = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /"url":"(http:[^"]+)"/.exec(stderr)?.[1];
      if (url === undefined || started) return;
      started = true;
      whileUp(url).then(
        () => child.kill('SIGTERM'),
        (e: unknown) => {
          child.kill('SIGKILL');
          reject(e);
        },
      );
    });
    child.on('error', reject);
    child.on('exit', (exitCode) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, exitCode });
    });
  });

describe('node dist/main.js', () => {
  let home: string;
  let cleanup: () => void;
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
    ({ home, cleanup } = tempHome('main'));
  });
  afterAll(() => cleanup());

  it('prints the API token once, on the first start only; the token file is 0600; SIGTERM stops it cleanly', async () => {
    const tokenFile = join(home, 'api-token');
    const first = await runService(home, async (url) => {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const token = readFileSync(tokenFile, 'utf8').trim();
      const list = await fetch(`${url}/v1/secrets`, { headers: { authorization: `Bearer ${token}` } });
      expect(list.status).toBe(200);
    });
    expect(first.exitCode).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const [, file, printed] = TOKEN_LINE.exec(lines[0] ?? '') ?? [];
    expect(file).toBe(tokenFile);
    expect(printed).toMatch(/^srt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(printed).toBe(readFileSync(tokenFile, 'utf8').trim());
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(first.stderr).not.toContain(printed);
    expect(first.stderr).toContain('"msg":"stopped"');

    const second = await runService(home, async (url) => {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    });
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toBe('');
    expect(second.stderr).not.toContain(printed);
  });
});
