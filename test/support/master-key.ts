import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyFingerprint, parseFernetKey } from '../../src/crypto/fernet.js';
import { childEnv, parseJson, runCli, type CliRun } from '../cli/run-cli.js';

/** Helpers for master-key tests: real `strongroom` and rotation processes, and the key id in a file. */

const CHILD = fileURLToPath(new URL('./master-rotate-child.mjs', import.meta.url));

/** The key id (public fingerprint) of the key in a key file. */
export const keyIdIn = (path: string): string => keyFingerprint(parseFernetKey(readFileSync(path, 'utf8')));

export interface MasterStatus {
  readonly masterKeyId: string;
  readonly pendingRotationId: string | null;
  readonly rotations: readonly { rotationId: string; mode: string; masterKeyId: string; completedAt: string | null; cancelledAt: string | null }[];
}

/** `strongroom rotate-master-key --status --json`: what the log says about the master key (a real start). */
export const masterStatus = async (home: string, store?: string): Promise<MasterStatus> => {
  const run = await runCli(['--home', home, ...(store ? ['--store', store] : []), 'rotate-master-key', '--status', '--json']);
  if (run.code !== 0) throw new Error(`status failed (${run.code}): ${run.stdout}${run.stderr}`);
  return parseJson<MasterStatus>(run);
};

export interface RotationChild {
  /** Resolves true once the child holds at its step, false if it ended first. */
  readonly held: Promise<boolean>;
  readonly exited: Promise<{ code: number | null; output: string }>;
  output(): string;
  kill(): Promise<void>;
  /** Lets a held child go on (needs `releasable`). */
  release(): void;
}

/** A master-key rotation in its own process (test/support/master-rotate-child.mjs), optionally held at a step. */
export const startRotationChild = (
  home: string,
  options: { holdAt?: string; newKeyFile?: string; store?: string; releasable?: boolean } = {},
): RotationChild => {
  const releaseFile = join(home, `release-${Math.random().toString(36).slice(2)}`);
  const child = spawn(process.execPath, [CHILD, home], {
    env: childEnv({
      STRONGROOM_LOG_LEVEL: 'silent',
      ...(options.holdAt && { HOLD_AT: options.holdAt }),
      ...(options.releasable && { RELEASE_FILE: releaseFile }),
      ...(options.newKeyFile && { NEW_KEY_FILE: options.newKeyFile }),
      ...(options.store && { STORE: options.store }),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let onHold: (held: boolean) => void = () => undefined;
  const held = new Promise<boolean>((resolve) => (onHold = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    if (output.includes('HOLD ')) onHold(true);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('close', (code) => {
      onHold(false);
      resolve({ code, output });
    }),
  );
  return {
    held,
    exited,
    output: () => output,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    release: () => writeFileSync(releaseFile, ''),
  };
};

/** A CLI run's error code from `--json` output (`{"error":{"code"}}`), or 'OK'. */
export const codeOfRun = (run: CliRun): string => (run.code === 0 ? 'OK' : (parseJson<{ error: { code: string } }>(run).error.code ?? 'UNKNOWN'));
