import { rotationsInProgress } from '../keys/domain/keyring-state.js';
import type { StrongroomProjection } from '../projection/strongroom-projection.js';

/**
 * For each environment with a data-key rotation in progress, how many live secrets are not yet under
 * the new key (the rotation's remaining work). One pass over that environment's live secrets.
 */
export const rotationsRemaining = (projection: StrongroomProjection): Map<string, number> => {
  const out = new Map<string, number>();
  for (const rotation of rotationsInProgress(projection.keys)) {
    let remaining = 0;
    for (const secret of projection.liveSecrets(rotation.env)) if (secret.keyId !== rotation.newKeyId) remaining++;
    out.set(rotation.env, remaining);
  }
  return out;
};
