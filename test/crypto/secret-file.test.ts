import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecretFile, readSecretFile } from '../../src/crypto/secret-file.js';
import { tempHome } from '../support/temp-home.js';

const codeOf = (f: () => unknown): unknown => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('secret files', () => {
  it('creates 0600 files exclusively and reads them back', () => {
    const { home, cleanup } = tempHome('files');
    try {
      const path = join(home, 'nested', 'key');
      const old = process.umask(0);
      try {
        createSecretFile(path, 'sekret\n');
      } finally {
        process.umask(old);
      }
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readSecretFile(path, 'key')).toBe('sekret');
      expect(codeOf(() => createSecretFile(path, 'other'))).toBe('ALREADY_INITIALISED');
      expect(readFileSync(path, 'utf8')).toBe('sekret\n');
    } finally {
      cleanup();
    }
  });

  it.each([0o640, 0o604, 0o620, 0o666])('refuses mode %o without echoing the contents', (mode) => {
    const { home, cleanup } = tempHome('files');
    try {
      const path = join(home, 'key');
      writeFileSync(path, 'do-not-echo-me');
      chmodSync(path, mode);
      try {
        readSecretFile(path, 'master key');
        throw new Error('accepted');
      } catch (e) {
        expect((e as { code?: string }).code).toBe('KEY_UNAVAILABLE');
        expect((e as Error).message).toContain('chmod 600');
        expect((e as Error).message).not.toContain('do-not-echo-me');
      }
    } finally {
      cleanup();
    }
  });

  it('names a missing file clearly', () => {
    expect(() => readSecretFile('/nonexistent/strongroom/key', 'master key')).toThrow('master key not found at /nonexistent/strongroom/key');
  });
});
