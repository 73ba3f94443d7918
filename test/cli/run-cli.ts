import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Helpers that run the real `strongroom` executable (bin/strongroom.js over dist/) as a child process. */

export const BIN = fileURLToPath(new URL('../../bin/strongroom.js', import.meta.url));
const CLI_MAIN = fileURLToPath(new URL('../../dist/interfaces/cli/main.js', import.meta.url));

export const assertBuilt = (): void => {
  if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: run \`npm run build\` before the CLI tests`);
};

export interface CliRun {
  readonly args: readonly string[];
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to the child's stdin, which is then closed (always closed, so no verb waits on it). */
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

// The children must see only what a test gives them: no STRONGROOM_* from the developer's shell, and
// not Jest's NODE_OPTIONS (--experimental-vm-modules would add warnings to their stderr).
export const childEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('STRONGROOM_') && key !== 'NODE_OPTIONS')),
  ...extra,
});

export const runCli = (args: readonly string[], options: RunOptions = {}): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ args, code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });

/** Runs against one home and keeps every run, so a suite can check all their output at the end. */
export const cliIn = (home: string) => {
  const runs: CliRun[] = [];
  const run = async (args: readonly string[], options: RunOptions = {}): Promise<CliRun> => {
    const result = await runCli(['--home', home, ...args], options);
    runs.push(result);
    return result;
  };
  return { run, runs };
};

/** stdout of a --json run, parsed; fails with the run's output when it is not JSON. */
export const parseJson = <T>(run: CliRun): T => {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.code}): ${run.stdout}\nstderr: ${run.stderr}`);
  }
};
