import { createHash, randomBytes } from 'node:crypto';

/**
 * API tokens: `srt_<token id: 16 hex>_<secret: 43 base64url characters, 256 bits>`. The prefix lets
 * secret scanners recognise a leaked Strongroom token; the id lets the server find the token's record
 * without comparing against every token; the secret is what is checked, in constant time, against the
 * SHA-256 digest in the log (a plain digest is enough for a 256-bit random secret: nothing to brute-force).
 */
export const TOKEN_PREFIX = 'srt_';
const TOKEN = /^srt_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;
/** Tokens of homes created before identities existed: 43 base64url characters, registered as root. */
const LEGACY_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface NewToken {
  readonly tokenId: string;
  /** Shown once to its creator; never logged, never stored. */
  readonly text: string;
}

export const newToken = (tokenId: string = randomBytes(8).toString('hex')): NewToken => ({
  tokenId,
  text: `${TOKEN_PREFIX}${tokenId}_${randomBytes(32).toString('base64url')}`,
});

/** Hex SHA-256 of the token text, as recorded in TokenCreated / TokenRotated. */
export const tokenHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The token id a presented token names, `legacy` for an old-format token, or null when it is not a token. */
export const tokenIdOf = (text: string): string | 'legacy' | null => {
  const match = TOKEN.exec(text);
  if (match) return match[1] as string;
  return LEGACY_TOKEN.test(text) ? 'legacy' : null;
};

/** The id a legacy token is registered under: derived from its digest, so every replica picks the same. */
export const legacyTokenId = (text: string): string => tokenHash(text).slice(0, 16);
