import { createHash } from 'node:crypto';

/**
 * A secret's changes live in the stream of its *name* ("slot"): `secret-<hash of name>`. Name
 * uniqueness among live secrets then rests on the store's optimistic concurrency on one stream, on every
 * backend, without multi-stream transactions. A name reused after a delete continues the same stream.
 * Reads go to `access-<secretId>`, a category start-up never replays.
 */
export const SECRET_CATEGORY = 'secret';
export const ACCESS_CATEGORY = 'access';

export const slotStream = (name: string): string =>
  `${SECRET_CATEGORY}-${createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 32)}`;

export const accessStream = (secretId: string): string => `${ACCESS_CATEGORY}-${secretId}`;
