import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tempHome } from '../support/temp-home.js';
import { npmEnv, REPO_ROOT } from './npm.js';

/**
 * `npm start` as the README says to run it, stopped by SIGTERM to the npm process (what a service
 * manager or `docker stop` sends): the server must stop too, gracefully, and npm exit 0. One spawn.
 *
 * It runs in a copy of the package (package.json, tsconfigs, src/, the same node_modules), because
 * `npm start` builds first: rebuilding this checkout's dist/ would rewrite files that other test files
 * are loading into CLI child processes at the same moment.
 */
describe('npm start', () => {
  let root: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ home: root, cleanup } = tempHome('npm-start'));
    const pkg = join(root, 'package');
    mkdirSync(pkg);
    for (const file of ['package.json', 'tsconfig.json', 'tsconfig.build.json']) cpSync(join(REPO_ROOT, file), join(pkg, file));
    cpSync(join(REPO_ROOT, 'src'), join(pkg, 'src'), { recursive: true });
    // The build bundles the web console from ui/ too.
    cpSync(join(REPO_ROOT, 'ui'), join(pkg, 'ui'), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(pkg, 'node_modules'));
  });
  afterAll(() => cleanup());

  it('builds, serves (ready on /readyz), and stops the server when npm gets SIGTERM', async () => {
    const home = join(root, 'home');
    const npm = spawn('npm', ['start'], {
      cwd: join(root, 'package'),
      env: npmEnv({ STRONGROOM_HOME: home, STRONGROOM_PORT: '0', STRONGROOM_LOG_LEVEL: 'info' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    npm.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => npm.on('close', (code, signal) => resolve({ code, signal })));
    // The server logs its address (port 0: the system's choice) once it listens.
    const url = await new Promise<string>((resolve, reject) => {
      npm.on('error', reject);
      void exited.then(({ code }) => reject(new Error(`npm start exited (${code}) before listening:\n${stdout}\n${stderr}`)));
      npm.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        const found = /"url":"(http:[^"]+)".*"msg":"strongroom listening"/.exec(stderr)?.[1];
        if (found !== undefined) resolve(found);
      });
    });

    const ready = await fetch(`${url}/readyz`);
    expect({ status: ready.status, body: (await ready.json()) as unknown }).toEqual({ status: 200, body: { status: 'ready', checks: { store: 'ok', keys: 'ok', projection: 'ok', checkpoints: 'ok' } } });

    npm.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(stderr).toContain('"signal":"SIGTERM","msg":"shutting down"');
    expect(stderr).toContain('"msg":"stopped"');
    // Nothing listens any more: the server process is gone, not orphaned behind npm.
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    // Started with a pipe for stdout: the new root token was announced by path only.
    const token = readFileSync(join(home, 'api-token'), 'utf8').trim();
    expect(stdout).toContain(`Root API token created in ${join(home, 'api-token')}`);
    expect(stdout + stderr).not.toContain(token);
  }, 180_000);
});
