import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import { publicRandomBytes } from './random-pool.js';

/**
 * Fernet (https://github.com/fernet/spec) on node:crypto alone. Hand-written on purpose: the npm
 * `fernet` package is unmaintained, depends on crypto-js and is several times slower than node:crypto.
 * Checked against the official vectors and against two independent implementations in the tests.
 *
 * Token: base64url( 0x80 | 8-byte big-endian seconds | 16-byte IV | AES-128-CBC ciphertext | HMAC-SHA256 ).
 */

const VERSION = 0x80;
const HEADER = 1 + 8 + 16;
const MAC = 32;
const BLOCK = 16;

/** A parsed Fernet key: the first 16 bytes sign, the last 16 encrypt. */
export interface FernetKey {
  readonly signingKey: Buffer;
  readonly encryptionKey: Buffer;
}

/**
 * One error for every way a token can be forged, damaged or meant for another key, saying nothing about
 * which: nothing to learn from it. Code INTEGRITY_ERROR.
 */
export class InvalidFernetTokenError extends StrongroomError {
  constructor(message = 'invalid Fernet token', details: Readonly<Record<string, unknown>> = {}) {
    super(ErrorCode.IntegrityError, message, details);
    this.name = 'InvalidFernetTokenError';
  }
}

/**
 * An authentic token refused only for its age, when the caller asked for a TTL: too old, or dated
 * further in the future than the allowed clock skew. Raised after the MAC has been verified, so naming
 * the cause tells nothing about the key (the timestamp is in the clear anyway); an operator must be able
 * to tell a clock problem from a key problem. A subclass, so callers that catch any invalid token still do.
 */
export class FernetTokenTimeError extends InvalidFernetTokenError {
  constructor(message: string, details: { readonly issuedAt: string; readonly now: string }) {
    super(message, details);
    this.name = 'FernetTokenTimeError';
  }
}

const URLSAFE_B64 = /^[A-Za-z0-9_-]*={0,2}$/;

/** The 6-bit value of a character the alphabet check has already accepted. */
const sextet = (c: number): number => (c >= 97 ? c - 71 : c === 95 ? 63 : c >= 65 ? c - 65 : c >= 48 ? c + 4 : 62);

/**
 * Strict urlsafe base64: the right alphabet, and a decoding that re-encodes to the same text. Checked
 * without re-encoding (a measurable share of every decrypt): only a last character whose unused low
 * bits are not zero, or a lone last character, has no canonical decoding.
 */
const decodeUrlsafe = (text: string): Buffer | null => {
  if (!URLSAFE_B64.test(text) || text.length % 4 === 1) return null;
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  const tail = end % 4;
  if (tail === 1 || (tail !== 0 && (sextet(text.charCodeAt(end - 1)) & (tail === 2 ? 0x0f : 0x03)) !== 0)) return null;
  return Buffer.from(text, 'base64url');
};

/** urlsafe base64 with `=` padding, as the spec and Python's cryptography write it. */
const encodeUrlsafe = (bytes: Buffer): string => {
  const text = bytes.toString('base64url');
  const pad = (4 - (text.length % 4)) % 4;
  return pad === 0 ? text : text + '='.repeat(pad);
};

/** A new random Fernet key in the standard text form: urlsafe base64 (with padding) of 32 bytes. */
export const generateFernetKey = (): string => encodeUrlsafe(randomBytes(32));

/**
 * A key from its 32 raw bytes (e.g. an unwrapped data key). The bytes are copied.
 * @throws StrongroomError KEY_UNAVAILABLE when `raw` is not 32 bytes long.
 */
export const fernetKeyFromBytes = (raw: Buffer): FernetKey => {
  if (raw.length !== 32) throw new StrongroomError(ErrorCode.KeyUnavailable, 'not a valid Fernet key');
  return { signingKey: Buffer.from(raw.subarray(0, 16)), encryptionKey: Buffer.from(raw.subarray(16, 32)) };
};

/**
 * Parses the standard key text (urlsafe base64 of 32 bytes; surrounding whitespace ignored). Never echoes the input.
 * @throws StrongroomError KEY_UNAVAILABLE for anything else.
 */
export const parseFernetKey = (text: unknown): FernetKey => {
  const raw = typeof text === 'string' ? decodeUrlsafe(text.trim()) : null;
  if (!raw || raw.length !== 32) throw new StrongroomError(ErrorCode.KeyUnavailable, 'not a valid Fernet key');
  return fernetKeyFromBytes(raw);
};

/**
 * A Fernet token of `plaintext` (a string is encoded as UTF-8), per the spec's "Generating" steps.
 * `now` (default: the system clock) is recorded in the token, to whole seconds; `iv` (16 bytes, default
 * random) is for the spec's vectors only. Nothing Strongroom stores depends on the recorded time later
 * (see {@link DecryptOptions.ttlSeconds}).
 */
export const fernetEncrypt = (key: FernetKey, plaintext: Buffer | string, opts: { now?: Date; iv?: Buffer } = {}): string => {
  const iv = opts.iv ?? publicRandomBytes(16);
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const cipher = createCipheriv('aes-128-cbc', key.encryptionKey, iv);
  const head = cipher.update(data);
  const tail = cipher.final();
  const token = Buffer.allocUnsafe(HEADER + head.length + tail.length + MAC);
  token[0] = VERSION;
  token.writeBigUInt64BE(BigInt(Math.floor((opts.now ?? new Date()).getTime() / 1000)), 1);
  iv.copy(token, 9);
  head.copy(token, HEADER);
  tail.copy(token, HEADER + head.length);
  const signedLength = token.length - MAC;
  createHmac('sha256', key.signingKey).update(token.subarray(0, signedLength)).digest().copy(token, signedLength);
  return encodeUrlsafe(token);
};

/** Options of {@link fernetDecrypt}. */
export interface DecryptOptions {
  /** The verifier's time, for the TTL check only (default: the system clock). */
  readonly now?: Date;
  /**
   * Maximum age in seconds. Unset (Strongroom's stored values and wrapped keys) means the token's
   * timestamp is not looked at: per the Fernet spec, the time checks belong to tokens verified with a
   * TTL, and a value must stay readable whatever the skew between the writer's and the reader's clocks.
   */
  readonly ttlSeconds?: number;
  /** With a TTL: how far in the future a timestamp may lie, in seconds (default 60, as in the spec's vectors). */
  readonly maxClockSkewSeconds?: number;
}

const DEFAULT_MAX_CLOCK_SKEW_SECONDS = 60;

const isoOfSeconds = (seconds: number): string => {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds} s after the epoch` : date.toISOString();
};

/** The spec's TTL checks (too old; too far in the future), only when a TTL is given. */
const checkAge = (issuedAt: number, opts: DecryptOptions): void => {
  if (opts.ttlSeconds === undefined) return;
  const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const skew = opts.maxClockSkewSeconds ?? DEFAULT_MAX_CLOCK_SKEW_SECONDS;
  const details = { issuedAt: isoOfSeconds(issuedAt), now: isoOfSeconds(now) };
  if (issuedAt > now + skew) {
    throw new FernetTokenTimeError(
      `Fernet token is dated ${issuedAt - now} s in the future, more than the allowed clock skew of ${skew} s: the clock of the machine that made it, or of this one, is wrong`,
      details,
    );
  }
  if (issuedAt + opts.ttlSeconds < now) {
    throw new FernetTokenTimeError(`Fernet token expired: it is ${now - issuedAt} s old and its time to live is ${opts.ttlSeconds} s`, details);
  }
};

/**
 * Verifies and decrypts a token (Fernet spec, "Verifying"). The MAC is checked first, in constant time,
 * before the timestamp or the ciphertext is used (the spec lists the TTL check earlier; checking the MAC
 * first means an age error is only ever told about an authentic token). The timestamp is checked only
 * when `opts.ttlSeconds` is given.
 *
 * @returns the plaintext bytes.
 * @throws InvalidFernetTokenError (INTEGRITY_ERROR) for a malformed, forged or wrongly keyed token, or
 *   bad padding; FernetTokenTimeError (a subclass) when a TTL was given and the token is too old or too
 *   far in the future.
 */
export const fernetDecrypt = (key: FernetKey, token: string, opts: DecryptOptions = {}): Buffer => {
  const raw = typeof token === 'string' ? decodeUrlsafe(token) : null;
  if (!raw || raw.length < HEADER + BLOCK + MAC || raw[0] !== VERSION || (raw.length - HEADER - MAC) % BLOCK !== 0) {
    throw new InvalidFernetTokenError();
  }
  const signedLength = raw.length - MAC;
  const expected = createHmac('sha256', key.signingKey).update(raw.subarray(0, signedLength)).digest();
  if (!timingSafeEqual(expected, raw.subarray(signedLength))) throw new InvalidFernetTokenError();
  checkAge(Number(raw.readBigUInt64BE(1)), opts);
  try {
    const decipher = createDecipheriv('aes-128-cbc', key.encryptionKey, raw.subarray(9, HEADER));
    const head = decipher.update(raw.subarray(HEADER, signedLength));
    const tail = decipher.final();
    return tail.length === 0 ? head : Buffer.concat([head, tail]);
  } catch {
    throw new InvalidFernetTokenError(); // bad padding
  }
};

/** Envelope encryption: a raw key (bytes) wrapped (Fernet-encrypted) under the master key; a Fernet token. */
export const wrapKey = (master: FernetKey, raw: Buffer): string => fernetEncrypt(master, raw);

/**
 * The raw key bytes of a token made by {@link wrapKey}. Never with a TTL: a wrapped key is kept for the
 * life of the store, so neither its age nor the clock of the process that wrapped it may matter.
 * @throws InvalidFernetTokenError when the token was not made under `master` or was damaged.
 */
export const unwrapKey = (master: FernetKey, wrapped: string): Buffer => fernetDecrypt(master, wrapped);

/** A key's public name: identifies it (to detect a wrong master key) without revealing anything of it. */
export const keyFingerprint = (key: FernetKey): string =>
  createHmac('sha256', Buffer.concat([key.signingKey, key.encryptionKey])).update('strongroom key id v1').digest('hex').slice(0, 16);
