import { publicRandomBytes } from '../crypto/random-pool.js';

/** Secret ids: 32 lowercase hex characters (128 bits) from the CSPRNG. */
export const SECRET_ID_PATTERN = /^[0-9a-f]{32}$/;

export interface IdGenerator {
  secretId(): string;
  /** Ids for keys, rotations and correlation: same format, separate method so tests can tell them apart. */
  opaqueId(): string;
}

export const randomIds: IdGenerator = {
  secretId: () => publicRandomBytes(16).toString('hex'),
  opaqueId: () => publicRandomBytes(16).toString('hex'),
};
