import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempHome } from '../support/temp-home.js';
import { assertBuilt, BIN, childEnv, cliIn, parseJson, runCli } from './run-cli.js';

/** The CLI refuses a wrong home, a badly protected master key and bad usage, and changes nothing. */
const VALUE = 'kept-out-of-stderr-Vb71';
const SERVE_BUILT = existsSync(fileURLToPath(new URL('../../dist/interfaces/http/serve-http.js', import.meta.url)));

describe('strongroom CLI: homes, keys and usage', () => {
  beforeAll(assertBuilt);

  it('a mistyped --home is NOT_INITIALISED (exit 6) and creates nothing', async () => {
    const { home, cleanup } = tempHome('cli-empty');
    try {
      const typo = join(home, 'typo');
      const missing = await runCli(['--home', typo, 'get-secret', 'db/password']);
      expect(missing.code).toBe(6);
      expect(missing.stderr).toMatch(/^strongroom: .*strongroom init.* \(NOT_INITIALISED\)\n$/);
      expect(existsSync(typo)).toBe(false);

      const empty = await runCli(['list-secrets', '--home', home, '--json']);
      expect(empty.code).toBe(6);
      expect(parseJson(empty)).toEqual({ error: expect.objectContaining({ code: 'NOT_INITIALISED' }) });
      expect(readdirSync(home)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('usage errors exit 2 before anything is opened', async () => {
    const { home, cleanup } = tempHome('cli-usage');
    try {
      const unknown = await runCli(['--home', home, 'frobnicate']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
      expect((await runCli(['--home', home, 'get-secret'])).code).toBe(2);
      expect((await runCli(['--home', home, 'get-secret', 'x', '--version', 'two'])).code).toBe(2);
      expect((await runCli(['--home', home, 'add-secret', 'x', 'y', '--metadata', 'no-equals-sign'])).code).toBe(2);
      const json = await runCli(['--home', home, '--json', 'frobnicate']);
      expect(json.code).toBe(2);
      expect(parseJson(json)).toEqual({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('frobnicate') } });
      expect(readdirSync(home)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('a master key readable by others stops every verb with exit 6 and a chmod hint', async () => {
    const { home, cleanup } = tempHome('cli-chmod');
    const { run, runs } = cliIn(home);
    try {
      expect((await run(['init'])).code).toBe(0);
      expect((await run(['add-secret', 'db/password', VALUE])).code).toBe(0);
      const keyFile = join(home, 'master.key');
      chmodSync(keyFile, 0o644);

      const verbs = [
        ['init'],
        ['add-secret', 'other', VALUE],
        ['get-secret', 'db/password'],
        ['list-secrets'],
        ['update-secret', 'db/password', VALUE],
        ['rotate-secret', 'db/password', VALUE],
        ['delete-secret', 'db/password'],
        ['history', 'db/password'],
        ['rotate-key'],
        ['rotate-master-key'],
        ['audit', 'log'],
        ['audit', 'verify'],
        ['audit', 'checkpoint'],
        ...(SERVE_BUILT ? [['serve', '--port', '0']] : []),
      ];
      // Each fails while opening, before anything is written, so they can run side by side.
      const results = await Promise.all(verbs.map((args) => run(args, { timeoutMs: 60_000 })));
      for (const result of results) {
        expect({ args: result.args, code: result.code }).toEqual({ args: result.args, code: 6 });
        expect(result.stderr).toContain(`chmod 600 ${keyFile}`);
        expect(result.stderr).toMatch(/\(KEY_UNAVAILABLE\)\n$/);
      }

      chmodSync(keyFile, 0o600);
      expect((await run(['get-secret', 'db/password'])).stdout).toBe(VALUE);
      for (const { stderr } of runs) expect(stderr).not.toContain(VALUE);
    } finally {
      cleanup();
    }
  });

  (SERVE_BUILT ? it : it.skip)('serve prints its URL and where the new root token is (not the token: stdout is a pipe) and stops cleanly on SIGTERM', async () => {
    const { home, cleanup } = tempHome('cli-serve');
    try {
      const child = spawn(process.execPath, [BIN, '--home', home, 'serve', '--port', '0', '--json'], {
        env: childEnv({ STRONGROOM_LOG_LEVEL: 'warn' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      const ready = new Promise<string>((resolve) =>
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
          if (stdout.includes('\n')) resolve(stdout.split('\n')[0] ?? '');
        }),
      );
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
      const first = JSON.parse(await ready) as { url: string; initialised: { apiToken: string | null; apiTokenCreated: boolean; apiTokenFile: string } | null };
      expect(first.url).toMatch(/^http:\/\//);
      expect(first.initialised).toMatchObject({ apiTokenCreated: true, apiToken: null, apiTokenFile: join(home, 'api-token') });
      const token = readFileSync(join(home, 'api-token'), 'utf8').trim();
      expect(token).toMatch(/^srt_/);
      expect(stdout).not.toContain(token);
      child.kill('SIGTERM');
      expect({ ...(await exited), stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    } finally {
      cleanup();
    }
  });
});
