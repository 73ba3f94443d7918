import type { EventStore } from '../../../event-store/event-store.port.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import type { LiveSecret } from '../../domain/secret-slot.js';
import { slotStream } from '../../secret-streams.js';

/**
 * Older versions are not kept in memory (the projection holds the current ciphertext only): read the
 * slot's stream and take the last ciphertext recorded for that version of that secret.
 */
export const findVersion = async (
  store: EventStore,
  live: LiveSecret,
  version: number,
): Promise<{ ciphertext: string; keyId: string }> => {
  let found: { ciphertext: string; keyId: string } | null = null;
  for (const e of await store.readStream(slotStream(live.name))) {
    const d = (e.data ?? {}) as { secretId?: unknown; version?: unknown; ciphertext?: unknown; keyId?: unknown };
    if (d.secretId !== live.id || d.version !== version) continue;
    if (typeof d.ciphertext === 'string' && typeof d.keyId === 'string') found = { ciphertext: d.ciphertext, keyId: d.keyId };
  }
  if (!found) {
    throw new StrongroomError(ErrorCode.SecretNotFound, `secret ${live.id} has no version ${version}`, { secretId: live.id, version });
  }
  return found;
};
