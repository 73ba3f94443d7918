import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, fstatSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real, small filesystem (tmpfs) of its own in a temp dir, for tests of a full disk. Needs root (or
 * CAP_SYS_ADMIN); `mount` returns null when that is impossible, and the caller skips visibly.
 */
export class SmallFilesystem {
  private constructor(readonly dir: string) {}

  static mount(bytes: number): SmallFilesystem | null {
    const dir = mkdtempSync(join(tmpdir(), 'strongroom-smallfs-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
    } catch {
      rmSync(dir, { recursive: true, force: true });
      return null;
    }
    return new SmallFilesystem(dir);
  }

  unmount(): void {
    execFileSync('umount', [this.dir], { stdio: 'pipe' });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A file that takes whatever space is left, and gives some back on demand. */
export class Filler {
  private readonly fd: number;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  get bytes(): number {
    return fstatSync(this.fd).size;
  }

  /** Appends until the filesystem refuses even 512 bytes more (ENOSPC). */
  fill(): void {
    for (const chunk of [1 << 20, 64 << 10, 4 << 10, 512]) {
      const buffer = Buffer.alloc(chunk, 0x5a);
      for (;;) {
        try {
          const written = writeSync(this.fd, buffer, 0, chunk, this.bytes);
          if (written < chunk) break;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw e;
        }
      }
    }
  }

  /** Gives `bytes` back to the filesystem. */
  shrink(bytes: number): void {
    ftruncateSync(this.fd, Math.max(0, this.bytes - bytes));
  }

  close(): void {
    closeSync(this.fd);
  }
}
