import type { Decision } from '../kernel/authorisation.js';
import type { SecretAccessedEvent } from './domain/secret-events.js';
import { DEFAULT_ENV } from './domain/secret-rules.js';
import type { LiveSecret } from './domain/secret-slot.js';

/**
 * The SecretAccessed event of one audited read: which secret and version, and the rule that allowed it
 * (so a replay can check the read against the policy of its time). Shared by every query that returns
 * values (GetSecret, ExportSecrets), so a read is recorded the same way whichever way it came.
 */
export const secretAccessed = (live: LiveSecret, version: number, decision: Decision): SecretAccessedEvent => ({
  type: 'SecretAccessed',
  data: {
    secretId: live.id,
    name: live.name,
    ...(live.env !== DEFAULT_ENV && { env: live.env }),
    version,
    ...(decision.allowed && { allowedBy: decision.rule }),
  },
});
