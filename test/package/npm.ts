import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository root: where package.json, the Dockerfile and docker-compose.yml are. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The environment for npm child processes: Jest's NODE_OPTIONS (--experimental-vm-modules) would add
 * warnings to their output, and a developer's STRONGROOM_* must not reach a server under test.
 */
export const npmEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('STRONGROOM_') && key !== 'NODE_OPTIONS')),
  ...extra,
});

/** One file of `npm pack --json`'s list: path relative to the package root, size in bytes, Unix mode. */
export interface PackedFile {
  readonly path: string;
  readonly size: number;
  readonly mode: number;
}

/**
 * What `npm pack` would put in the tarball, without writing it. `--ignore-scripts`: packing must not
 * run `prepare` (a rebuild of dist/ while other test files spawn the CLI from it); `npm test` has built
 * dist/ already.
 */
export const packedFiles = async (): Promise<readonly PackedFile[]> => {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, env: npmEnv(), maxBuffer: 16 * 1024 * 1024 });
  const [pack] = JSON.parse(stdout) as [{ files: PackedFile[] }];
  return pack.files;
};
