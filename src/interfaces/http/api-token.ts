import { createHash, timingSafeEqual } from 'node:crypto';
import { readSecretFile } from '../../crypto/secret-file.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * The API's bearer token, held only as its SHA-256 digest. Presented tokens are hashed too and the
 * digests compared in constant time, so neither the content nor the length of the token leaks through
 * timing.
 */
export class ApiToken {
  private constructor(private readonly digest: Buffer) {}

  /** Read once at start-up; the file must be private (0600), like the master key. */
  static fromFile(path: string): ApiToken {
    return ApiToken.of(readSecretFile(path, 'API token'));
  }

  static of(token: string): ApiToken {
    if (token.length === 0) throw new StrongroomError(ErrorCode.KeyUnavailable, 'the API token file is empty');
    return new ApiToken(sha256(token));
  }

  /** Names the token in the audit log without revealing it: `token:<first 8 hex of its SHA-256>`. */
  get actor(): string {
    return `token:${this.digest.toString('hex').slice(0, 8)}`;
  }

  matches(presented: string): boolean {
    return timingSafeEqual(sha256(presented), this.digest);
  }
}
