import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { assertBuilt, childEnv, runCli } from '../cli/run-cli.js';
import { tempHome } from '../support/temp-home.js';

/**
 * A port already taken is explained, not "unexpected error: listen EADDRINUSE": which address, what to
 * do, ADDRESS_UNAVAILABLE and exit 5, for `strongroom serve` and `node dist/main.js` (npm start) alike.
 */
const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

const runMain = (env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], { env: childEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });

describe('the HTTP API when its address cannot be had', () => {
  let taken: Server;
  let port = 0;

  beforeAll(async () => {
    assertBuilt();
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it('strongroom serve on a port in use exits 5 naming the address and the setting to change', async () => {
    const { home, cleanup } = tempHome('listen-serve');
    try {
      const serve = await runCli(['--home', home, 'serve', '--port', String(port)], { timeoutMs: 20_000 });
      expect({ code: serve.code, stderr: serve.stderr }).toEqual({
        code: 5,
        stderr: expect.stringMatching(new RegExp(`^strongroom: cannot listen on 127\\.0\\.0\\.1:${port}: the address is already in use .*STRONGROOM_PORT.*--port.* \\(ADDRESS_UNAVAILABLE\\)\\n$`)),
      });
      expect(serve.stderr).not.toContain('unexpected error');

      const json = await runCli(['--home', home, 'serve', '--port', String(port), '--json'], { timeoutMs: 20_000 });
      expect(json.code).toBe(5);
      expect(JSON.parse(json.stdout)).toEqual({
        error: { code: 'ADDRESS_UNAVAILABLE', message: expect.stringContaining(`127.0.0.1:${port}`), details: { host: '127.0.0.1', port, reason: 'EADDRINUSE' } },
      });
    } finally {
      cleanup();
    }
  });

  it('npm start (node dist/main.js) on a port in use exits 5 and logs the address and the setting to change', async () => {
    const { home, cleanup } = tempHome('listen-main');
    try {
      const run = await runMain({ STRONGROOM_HOME: home, STRONGROOM_PORT: String(port) });
      expect(run.code).toBe(5);
      const fatal = run.stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level: number; code?: string; msg: string })
        .find((entry) => entry.level === 60);
      expect(fatal).toMatchObject({ code: 'ADDRESS_UNAVAILABLE', msg: expect.stringContaining(`cannot listen on 127.0.0.1:${port}: the address is already in use`) });
      expect(fatal?.msg).toContain('STRONGROOM_PORT');
    } finally {
      cleanup();
    }
  });

  it('an address that is not on this machine names STRONGROOM_HOST', async () => {
    const { home, cleanup } = tempHome('listen-host');
    try {
      // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
      const serve = await runCli(['--home', home, 'serve', '--port', '0'], { env: { STRONGROOM_HOST: '192.0.2.1' }, timeoutMs: 20_000 });
      expect(serve.code).toBe(5);
      expect(serve.stderr).toMatch(/^strongroom: cannot listen on 192\.0\.2\.1:0: 192\.0\.2\.1 is not an address of this machine; set STRONGROOM_HOST .* \(ADDRESS_UNAVAILABLE\)\n$/);
    } finally {
      cleanup();
    }
  });
});
