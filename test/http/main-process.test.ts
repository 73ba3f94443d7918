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
// stdout is a pipe here, as in a container or under a service manager: the path, never the token.
const TOKEN_FILE_LINE = /^Root API token created in (\S+) \(mode 0600; not printed because standard output is not a terminal\): read it with `cat (\S+)`$/;

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

  it('on the first start announces where the new API token is (0600), never the token, when stdout is not a terminal; SIGTERM stops it cleanly', async () => {
    const tokenFile = join(home, 'api-token');
    const first = await runService(home, async (url) => {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const token = readFileSync(tokenFile, 'utf8').trim();
      const list = await fetch(`${url}/v1/secrets`, { headers: { authorization: `Bearer ${token}` } });
      expect(list.status).toBe(200);
    });
    expect(first.exitCode).toBe(0);
    const created = readFileSync(tokenFile, 'utf8').trim();
    expect(created).toMatch(/^srt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const lines = first.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const [, file, catFile] = TOKEN_FILE_LINE.exec(lines[0] ?? '') ?? [];
    expect([file, catFile]).toEqual([tokenFile, tokenFile]);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(first.stdout).not.toContain(created);
    expect(first.stderr).not.toContain(created);
    expect(first.stderr).toContain('"msg":"stopped"');

    const second = await runService(home, async (url) => {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    });
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toBe('');
    expect(second.stderr).not.toContain(created);
  });

  // A person at a terminal gets the token on the screen. `script` (util-linux) gives the server a real
  // pseudo-terminal; on it stdout and stderr arrive together, so the run ends at the listening line.
  it('prints the new API token when stdout is a terminal', async () => {
    const { home: ttyHome, cleanup: removeTtyHome } = tempHome('main-tty');
    try {
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('STRONGROOM_') && k !== 'NODE_OPTIONS'));
      const child = spawn('script', ['-qfec', `exec "${process.execPath}" "${MAIN}"`, '/dev/null'], {
        env: { ...env, STRONGROOM_HOME: ttyHome, STRONGROOM_PORT: '0' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
      const screen = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.on('error', reject);
        child.on('close', () => reject(new Error(`exited before listening: ${text}`)));
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
          if (text.includes('strongroom listening')) resolve(text);
        });
      });
      child.kill('SIGTERM');
      await exited;
      const tokenFile = join(ttyHome, 'api-token');
      const token = readFileSync(tokenFile, 'utf8').trim();
      expect(screen.split(/\r?\n/)).toContain(`Root API token (shown once, also in ${tokenFile}): ${token}`);
    } finally {
      removeTtyHome();
    }
  });
});
