import type { Decision } from '../kernel/authorisation.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import type { SecretAccessedEvent } from './domain/secret-events.js';
import { DEFAULT_ENV } from './domain/secret-rules.js';
import { isExpired, type LiveSecret } from './domain/secret-slot.js';

/**
 * The SecretAccessed event of one audited read: which secret and version, and the rule that allowed it
 * (so a replay can check the read against the policy of its time). Shared by every query that returns
 * values (GetSecret, ExportSecrets), so a read is recorded the same way whichever way it came.
 */
export const secretAccessed = (live: LiveSecret, version: number, decision: Decision, asOf?: number): SecretAccessedEvent => ({
  type: 'SecretAccessed',
  data: {
    secretId: live.id,
    name: live.name,
    ...(live.env !== DEFAULT_ENV && { env: live.env }),
    version,
    // 'self' admits only questions about the caller's own rights, never a read of a value.
    ...(decision.allowed && decision.rule !== 'self' && { allowedBy: decision.rule }),
    ...(asOf !== undefined && { asOf }),
  },
});

/**
 * What every value-returning query refuses before it decrypts: a secret past its expiry (checked
 * against the clock itself, before any timer has recorded it) and a destroyed version. `ref` is how the
 * caller named the secret.
 * @throws SECRET_EXPIRED, VERSION_DESTROYED
 */
export const refuseUnreadable = (live: LiveSecret, version: number, now: Date, ref: string): void => {
  if (isExpired(live, now)) {
    throw new StrongroomError(ErrorCode.SecretExpired, `secret ${ref} expired at ${live.expiresAt}`, { ref, expiresAt: live.expiresAt });
  }
  if (live.destroyedVersions.includes(version)) {
    throw new StrongroomError(ErrorCode.VersionDestroyed, `version ${version} of secret ${ref} was destroyed`, { ref, version });
  }
};
