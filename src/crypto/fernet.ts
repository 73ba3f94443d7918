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

/** One error for every way a token can be wrong, saying nothing about which: nothing to learn from it. */
export class InvalidFernetTokenError extends StrongroomError {
  constructor() {
    super(ErrorCode.IntegrityError, 'invalid Fernet token');
    this.name = 'InvalidFernetTokenError';
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

export const generateFernetKey = (): string => encodeUrlsafe(randomBytes(32));

export const fernetKeyFromBytes = (raw: Buffer): FernetKey => {
  if (raw.length !== 32) throw new StrongroomError(ErrorCode.KeyUnavailable, 'not a valid Fernet key');
  return { signingKey: Buffer.from(raw.subarray(0, 16)), encryptionKey: Buffer.from(raw.subarray(16, 32)) };
};

/** Parses the standard key text (urlsafe base64 of 32 bytes). Never echoes the input. */
export const parseFernetKey = (text: unknown): FernetKey => {
  const raw = typeof text === 'string' ? decodeUrlsafe(text.trim()) : null;
  if (!raw || raw.length !== 32) throw new StrongroomError(ErrorCode.KeyUnavailable, 'not a valid Fernet key');
  return fernetKeyFromBytes(raw);
};

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

export interface DecryptOptions {
  readonly now?: Date;
  /** Reject tokens older than this; unset means no expiry (Strongroom's stored values do not expire). */
  readonly ttlSeconds?: number;
  readonly maxClockSkewSeconds?: number;
}

/** Verifies the MAC (constant time) before touching the ciphertext, then decrypts. */
export const fernetDecrypt = (key: FernetKey, token: string, opts: DecryptOptions = {}): Buffer => {
  const raw = typeof token === 'string' ? decodeUrlsafe(token) : null;
  if (!raw || raw.length < HEADER + BLOCK + MAC || raw[0] !== VERSION || (raw.length - HEADER - MAC) % BLOCK !== 0) {
    throw new InvalidFernetTokenError();
  }
  const signedLength = raw.length - MAC;
  const expected = createHmac('sha256', key.signingKey).update(raw.subarray(0, signedLength)).digest();
  if (!timingSafeEqual(expected, raw.subarray(signedLength))) throw new InvalidFernetTokenError();
  const issuedAt = Number(raw.readBigUInt64BE(1));
  const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  if (issuedAt > now + (opts.maxClockSkewSeconds ?? 60)) throw new InvalidFernetTokenError();
  if (opts.ttlSeconds !== undefined && issuedAt + opts.ttlSeconds < now) throw new InvalidFernetTokenError();
  try {
    const decipher = createDecipheriv('aes-128-cbc', key.encryptionKey, raw.subarray(9, HEADER));
    const head = decipher.update(raw.subarray(HEADER, signedLength));
    const tail = decipher.final();
    return tail.length === 0 ? head : Buffer.concat([head, tail]);
  } catch {
    throw new InvalidFernetTokenError(); // bad padding
  }
};

/** Envelope encryption: a raw key wrapped (Fernet-encrypted) under the master key. */
export const wrapKey = (master: FernetKey, raw: Buffer): string => fernetEncrypt(master, raw);

export const unwrapKey = (master: FernetKey, wrapped: string): Buffer => fernetDecrypt(master, wrapped);

/** A key's public name: identifies it (to detect a wrong master key) without revealing anything of it. */
export const keyFingerprint = (key: FernetKey): string =>
  createHmac('sha256', Buffer.concat([key.signingKey, key.encryptionKey])).update('strongroom key id v1').digest('hex').slice(0, 16);
