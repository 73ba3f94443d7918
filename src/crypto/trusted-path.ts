import { lstatSync, mkdirSync, readlinkSync, realpathSync, rmdirSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, parse, resolve, sep } from 'node:path';
import { StrongroomError, type ErrorCode } from '../shared/errors.js';

/**
 * Whether a key, a token or the home that holds them can be trusted: only if nobody but this user (or
 * root) can change it. Modelled on OpenSSH's StrictModes (auth.c, `auth_secure_path`): the file and every
 * directory above it must be owned by the user or root and not writable by group or others. Like
 * OpenSSH we judge the path with its symlinks resolved, and we also check every link followed on the
 * way (whoever owns a link can redirect it). Unlike OpenSSH we accept a world-writable directory *above*
 * the one that holds the file when it has the sticky bit (like /tmp): there nobody can rename or remove
 * what another user owns. The directory that holds the file (and a home) gets no such exception.
 */

/** How a refusal is reported: what the path is for (e.g. `master key`), and the error code to raise. */
export interface TrustRefusal {
  readonly what: string;
  readonly code: ErrorCode;
}

const GROUP_OR_OTHER_WRITE = 0o022;
const STICKY = 0o1000;

/** This process's effective uid, or null where POSIX ownership does not apply (Windows). */
const effectiveUid = (): number | null => (typeof process.geteuid === 'function' ? process.geteuid() : null);

const octal = (stats: Stats): string => (stats.mode & 0o7777).toString(8).padStart(3, '0');

const refuse = (refusal: TrustRefusal, subject: string, problem: string, path: string): StrongroomError =>
  new StrongroomError(refusal.code, `refusing to use the ${refusal.what} ${subject}: ${problem}`, { path });

const checkOwner = (stats: Stats, path: string, uid: number, refusal: TrustRefusal, subject: string): void => {
  if (stats.uid === uid || stats.uid === 0) return;
  throw refuse(
    refusal,
    subject,
    `${path} is owned by uid ${stats.uid}, not by this user (uid ${uid}) or root, so that user could replace it; ` +
      `run \`chown ${uid} ${path}\` as root, or use a home you own`,
    path,
  );
};

/** The directory that directly holds a key, or a home: nobody else may write to it, sticky or not. */
const checkPrivateDirectory = (dir: string, uid: number, refusal: TrustRefusal, subject: string): void => {
  const stats = statSync(dir);
  checkOwner(stats, dir, uid, refusal, subject);
  if ((stats.mode & GROUP_OR_OTHER_WRITE) !== 0) {
    throw refuse(refusal, subject, `directory ${dir} is writable by group or others (mode ${octal(stats)}), so another user could replace what it holds; run \`chmod 700 ${dir}\``, dir);
  }
};

/** A directory passed through on the way: ours or root's, and not writable by others unless sticky. */
const checkDirectoryAbove = (dir: string, stats: Stats, uid: number, refusal: TrustRefusal, subject: string): void => {
  checkOwner(stats, dir, uid, refusal, subject);
  if ((stats.mode & GROUP_OR_OTHER_WRITE) !== 0 && (stats.mode & STICKY) === 0) {
    throw refuse(
      refusal,
      subject,
      `directory ${dir} above it is writable by group or others (mode ${octal(stats)}) without the sticky bit, so another user could replace what it holds; run \`chmod go-w ${dir}\``,
      dir,
    );
  }
};

const MAX_LINKS = 40; // as Linux's MAXSYMLINKS

/**
 * Resolves `path` as realpath(3) does, one component at a time, and checks everything that decides
 * where it leads: every symlink followed (a link's owner can redirect it) and every directory passed
 * through, except the one that finally holds the target, which the caller holds to the stricter rule.
 * A Kubernetes secret mount, with root's links in a sticky world-writable directory, passes; a link
 * another user planted there does not.
 * @returns the resolved path.
 */
const resolveChecked = (path: string, uid: number, refusal: TrustRefusal, subject: string): string => {
  let pending = resolve(path).split(sep).filter((part) => part.length > 0);
  let current = parse(resolve(path)).root;
  const passed = new Map<string, Stats>([[current, statSync(current)]]);
  for (let links = 0; pending.length > 0; ) {
    const name = pending.shift() as string;
    if (name === '.') continue;
    if (name === '..') {
      current = dirname(current);
      continue;
    }
    const next = join(current, name);
    const stats = lstatSync(next);
    if (stats.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw refuse(refusal, subject, `more than ${MAX_LINKS} symbolic links on the way to it`, next);
      checkOwner(stats, next, uid, refusal, subject);
      const target = readlinkSync(next);
      if (isAbsolute(target)) current = parse(target).root;
      pending = [...target.split(sep).filter((part) => part.length > 0), ...pending];
      continue;
    }
    if (pending.length > 0) passed.set(next, stats);
    current = next;
  }
  const holder = dirname(current);
  for (const [dir, stats] of passed) if (dir !== holder) checkDirectoryAbove(dir, stats, uid, refusal, subject);
  return current;
};

/**
 * Refuses a key or token file that anyone but this user or root could read or change: the file must be
 * a regular file owned by this user or root with no permission bits for group or others (0600 or
 * stricter), its directory must not be writable by group or others, and the directories above must pass
 * the StrictModes rule (see the module comment). Does nothing where POSIX ownership does not apply.
 *
 * @throws StrongroomError with `refusal.code`, naming the path and the command that fixes it
 *   (`chmod 600 FILE`, `chmod 700 DIR`, `chmod go-w DIR`, `chown UID PATH`). Never the file's contents.
 *   Node's own error when the file does not exist (callers check that first, with a better message).
 */
export const assertTrustedSecretFile = (path: string, refusal: TrustRefusal): void => {
  const uid = effectiveUid();
  const written = resolve(path);
  const real = uid === null ? realpathSync(written) : resolveChecked(written, uid, refusal, written);
  const subject = real === written ? written : `${written} (${real})`;
  const stats = statSync(real);
  if (!stats.isFile()) throw refuse(refusal, subject, 'it is not a regular file', written);
  if (uid !== null) checkOwner(stats, real, uid, refusal, subject);
  if ((stats.mode & 0o077) !== 0) {
    throw refuse(refusal, subject, `it is accessible to group or others (mode ${octal(stats)}); run \`chmod 600 ${written}\``, written);
  }
  if (uid !== null) checkPrivateDirectory(dirname(real), uid, refusal, subject);
};

/**
 * Refuses a directory that holds keys, tokens or the embedded store (a Strongroom home) unless it is
 * owned by this user or root and not writable by group or others, and the directories above it pass
 * the StrictModes rule (see the module comment). Does nothing where POSIX ownership does not apply.
 *
 * @throws StrongroomError with `refusal.code`, naming the directory and the command that fixes it
 *   (`chmod 700 DIR`, `chmod go-w DIR`, `chown UID DIR`). Node's own error when it does not exist.
 */
export const assertPrivateDirectory = (dir: string, refusal: TrustRefusal): void => {
  const uid = effectiveUid();
  if (uid === null) return;
  const written = resolve(dir);
  const real = resolveChecked(written, uid, refusal, written);
  const subject = real === written ? written : `${written} (${real})`;
  if (!statSync(real).isDirectory()) throw refuse(refusal, subject, 'it is not a directory', written);
  checkPrivateDirectory(real, uid, refusal, subject);
  const parent = dirname(real);
  if (parent !== real) checkDirectoryAbove(parent, statSync(parent), uid, refusal, subject);
};

/**
 * Creates `dir` (and any missing parents) mode 0700 and holds it to assertPrivateDirectory. On a
 * refusal, the directories this call created are removed again (they are empty: nothing was put in
 * them yet), so a refused `init` leaves nothing behind; one that existed before is never touched.
 * @returns a function that removes what this call created (if still empty), for a caller whose next
 *   check fails
 * @throws as assertPrivateDirectory
 */
export const makePrivateDirectory = (dir: string, refusal: TrustRefusal): (() => void) => {
  const written = resolve(dir);
  const firstCreated = mkdirSync(written, { recursive: true, mode: 0o700 });
  const undo = (): void => {
    if (firstCreated !== undefined) removeCreated(written, resolve(firstCreated));
  };
  try {
    assertPrivateDirectory(written, refusal);
  } catch (e) {
    undo();
    throw e;
  }
  return undo;
};

/** Removes `dir` and its parents up to and including `firstCreated`; stops at the first that is not empty. */
const removeCreated = (dir: string, firstCreated: string): void => {
  for (let current = dir; ; current = dirname(current)) {
    try {
      rmdirSync(current);
    } catch {
      return; // something was put there meanwhile: it is not ours to remove
    }
    if (current === firstCreated || dirname(current) === current) return;
  }
};
