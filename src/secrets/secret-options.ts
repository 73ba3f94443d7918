/**
 * The options of secret writes and listings as callers pass them, shared by the library (SecretManager)
 * and the SDK (StrongroomClient) so the two cannot drift. Types only, and no import: the SDK must load
 * none of the server's code.
 */

/** Metadata as writes carry it: flat JSON values. */
export type Metadata = Record<string, string | number | boolean | null>;

/** A generated value: `length` characters (8-4096, default 32) from `charset` (default alphanumeric). */
export interface GenerateOptions {
  readonly length?: number;
  readonly charset?: 'alphanumeric' | 'alpha' | 'numeric' | 'hex' | 'base64url' | 'printable';
}

/**
 * The lifecycle of a secret as writes set it: tags (replaced whole), an expiry (`expiresAt`, ISO-8601,
 * or `ttl` such as `90d`; null clears), a rotation schedule (`rotateEvery` such as `30d`, null clears;
 * with `rotationGenerator` the service rotates it itself with a generated value).
 */
export interface LifecycleOptions {
  readonly tags?: Record<string, string>;
  readonly expiresAt?: string | null;
  readonly ttl?: string;
  readonly rotateEvery?: string | null;
  readonly rotationGenerator?: GenerateOptions;
}

/** Which secrets a listing returns, and how many at a time. */
export interface ListOptions {
  readonly minPosition?: number;
  /** Names starting with this. */
  readonly prefix?: string;
  /** `key=value` (or several, all of which must match). */
  readonly tag?: string | string[];
  /** At most this many (1-1000); the next page starts at `cursor`. */
  readonly limit?: number;
  readonly cursor?: string;
}
