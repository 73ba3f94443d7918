import { createHash } from 'node:crypto';
import { DEFAULT_ENV } from './domain/secret-rules.js';

/**
 * A secret's changes live in the stream of its *name* ("slot"): `secret-<hash of name>`. Name
 * uniqueness among live secrets then rests on the store's optimistic concurrency on one stream, on every
 * backend, without multi-stream transactions. A name reused after a delete continues the same stream.
 * Reads go to `access-<secretId>`, a category start-up never replays.
 */
export const SECRET_CATEGORY = 'secret';
export const ACCESS_CATEGORY = 'access';

/**
 * The slot of `name` in `env`. The default environment keeps the stream names of stores written before
 * environments existed (a hash of the name alone), so no event is rewritten; other environments hash
 * `env` and `name` together, so names are unique within an environment.
 */
export const slotStream = (env: string, name: string): string => {
  const key = env === DEFAULT_ENV ? name : `${env}\u0000${name}`;
  return `${SECRET_CATEGORY}-${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32)}`;
};

export const accessStream = (secretId: string): string => `${ACCESS_CATEGORY}-${secretId}`;
