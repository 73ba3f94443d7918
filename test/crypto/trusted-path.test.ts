import { chmodSync, existsSync, lchownSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecretFile, readSecretFile } from '../../src/crypto/secret-file.js';
import { ErrorCode } from '../../src/shared/errors.js';
import { tempHome } from '../support/temp-home.js';

/** StrictModes on real files, directories and symlinks (the tests run as root; "another user" is 65534). */
const NOBODY = 65534;

const failure = (work: () => unknown): { code?: string; message: string } => {
  try {
    work();
  } catch (e) {
    return e as { code?: string; message: string };
  }
  return { message: 'accepted' };
};

/** A Kubernetes-style secret mount: links in a sticky world-writable directory into a private one. */
const secretMount = (root: string): { mount: string; link: string } => {
  const mount = join(root, 'mount');
  mkdirSync(join(mount, '..2024_01_01'), { recursive: true });
  chmodSync(mount, 0o1777);
  chmodSync(join(mount, '..2024_01_01'), 0o755);
  writeFileSync(join(mount, '..2024_01_01', 'master.key'), 'k-e-y\n', { mode: 0o600 });
  symlinkSync('..2024_01_01', join(mount, '..data'));
  symlinkSync(join('..data', 'master.key'), join(mount, 'master.key'));
  return { mount, link: join(mount, 'master.key') };
};

describe('trusted paths (after OpenSSH StrictModes)', () => {
  it('reads a key through symlinks that sit in a sticky directory, as a Kubernetes secret mount has them', () => {
    const { home, cleanup } = tempHome('trust-mount');
    try {
      expect(readSecretFile(secretMount(home).link, 'master key')).toBe('k-e-y');
    } finally {
      cleanup();
    }
  });

  it("refuses a link another user owns, even in a sticky directory: it would be theirs to redirect", () => {
    const { home, cleanup } = tempHome('trust-link-owner');
    try {
      const { mount, link } = secretMount(home);
      lchownSync(link, NOBODY, NOBODY);
      const error = failure(() => readSecretFile(link, 'master key'));
      expect(error.code).toBe('KEY_UNAVAILABLE');
      expect(error.message).toContain(`${link} is owned by uid ${NOBODY}`);
      // A link followed on the way counts as much as the last one.
      lchownSync(link, 0, 0);
      lchownSync(join(mount, '..data'), NOBODY, NOBODY);
      expect(failure(() => readSecretFile(link, 'master key')).message).toContain(`${join(mount, '..data')} is owned by uid ${NOBODY}`);
    } finally {
      cleanup();
    }
  });

  it('refuses a link in a world-writable directory without the sticky bit', () => {
    const { home, cleanup } = tempHome('trust-link-dir');
    try {
      const { mount, link } = secretMount(home);
      chmodSync(mount, 0o777);
      const error = failure(() => readSecretFile(link, 'master key'));
      expect(error.code).toBe('KEY_UNAVAILABLE');
      expect(error.message).toContain(`run \`chmod go-w ${mount}\``);
    } finally {
      cleanup();
    }
  });

  it('refuses a key file directly in a sticky world-writable directory: the directory holding a key must be private', () => {
    const { home, cleanup } = tempHome('trust-sticky-holder');
    try {
      chmodSync(home, 0o1777);
      writeFileSync(join(home, 'master.key'), 'k\n', { mode: 0o600 });
      expect(failure(() => readSecretFile(join(home, 'master.key'), 'master key')).message).toContain(`run \`chmod 700 ${home}\``);
    } finally {
      cleanup();
    }
  });

  it('refuses what is not a regular file', () => {
    const { home, cleanup } = tempHome('trust-dir');
    try {
      mkdirSync(join(home, 'master.key'), { mode: 0o700 });
      expect(failure(() => readSecretFile(join(home, 'master.key'), 'master key')).message).toContain('it is not a regular file');
    } finally {
      cleanup();
    }
  });

  it('writes no key into a directory others can change', () => {
    const { home, cleanup } = tempHome('trust-create');
    try {
      const dir = join(home, 'keys');
      mkdirSync(dir);
      chmodSync(dir, 0o777);
      const error = failure(() => createSecretFile(join(dir, 'master.key'), 'k\n'));
      expect(error.code).toBe('KEY_UNAVAILABLE');
      expect(error.message).toContain(`chmod 700 ${dir}`);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('names a configuration file once, with the code its caller gives', () => {
    const { home, cleanup } = tempHome('trust-wording');
    try {
      const path = join(home, 'store-url');
      writeFileSync(path, 'postgres://u:p@h/db\n', { mode: 0o640 });
      const error = failure(() => readSecretFile(path, 'store URL file', ErrorCode.InvalidInput));
      expect(error).toMatchObject({ code: 'INVALID_INPUT', message: `refusing to use the store URL file ${path}: it is accessible to group or others (mode 640); run \`chmod 600 ${path}\`` });
      expect(error.message).not.toMatch(/file file|u:p/);
      expect(failure(() => readSecretFile(join(home, 'none'), 'store URL file', ErrorCode.InvalidInput)).code).toBe('INVALID_INPUT');
      expect(existsSync(path)).toBe(true);
    } finally {
      cleanup();
    }
  });
});
