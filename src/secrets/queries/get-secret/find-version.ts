import type { RecordedEvent } from '../../../event-store/event-store.port.js';
import type { EventLog } from '../../../kernel/tokens.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import type { LiveSecret } from '../../domain/secret-slot.js';
import { slotStream } from '../../secret-streams.js';

/** An older version's ciphertext, the data key that made it, and whether it is bytes. */
export interface StoredVersion {
  /** Null when a destroy redacted it. */
  readonly ciphertext: string | null;
  readonly keyId: string;
  readonly binary: boolean;
}

/**
 * Older versions are not kept in memory (the projection holds the current ciphertext only): read the
 * slot's stream and take the last ciphertext recorded for that version of that secret.
 * @throws SECRET_NOT_FOUND when the secret never had that version; VERSION_DESTROYED when its value was destroyed.
 */
export const findVersion = async (log: EventLog, live: LiveSecret, version: number): Promise<StoredVersion & { readonly ciphertext: string }> => {
  const found = await findStoredVersion(log, live, version);
  if (found.ciphertext === null) {
    throw new StrongroomError(ErrorCode.VersionDestroyed, `version ${version} of secret ${live.name} was destroyed`, { secretId: live.id, version });
  }
  return found as StoredVersion & { readonly ciphertext: string };
};

/** As findVersion, but a destroyed (redacted) version comes back with a null ciphertext. */
export const findStoredVersion = async (log: EventLog, live: Pick<LiveSecret, 'id' | 'env' | 'name'>, version: number): Promise<StoredVersion> =>
  storedVersionIn(await log.readStream(slotStream(live.env, live.name)), live, version);

/**
 * The last ciphertext recorded for `version` of secret `secret.id` among a slot's `events` (all of them,
 * or those up to past position `atPosition` for a historical read).
 * @throws SECRET_NOT_FOUND naming the secret (and the position) when none of them gave that version a value.
 */
export const storedVersionIn = (events: readonly RecordedEvent[], secret: Pick<LiveSecret, 'id' | 'name'>, version: number, atPosition?: number): StoredVersion => {
  const id = secret.id;
  let found: StoredVersion | null = null;
  let binary = false;
  for (const e of events) {
    const d = (e.data ?? {}) as { secretId?: unknown; version?: unknown; ciphertext?: unknown; keyId?: unknown; binary?: unknown };
    if (d.secretId !== id || d.version !== version) continue;
    // A re-encryption keeps the version's kind of value: the flag comes from the event that set the value.
    if (e.type !== 'SecretReEncrypted') binary = d.binary === true;
    if ((typeof d.ciphertext === 'string' || d.ciphertext === null) && typeof d.keyId === 'string') found = { ciphertext: d.ciphertext, keyId: d.keyId, binary };
  }
  if (!found) {
    const had = atPosition === undefined ? 'has no' : 'had no';
    const when = atPosition === undefined ? '' : ` at position ${atPosition}`;
    throw new StrongroomError(ErrorCode.SecretNotFound, `secret ${secret.name} ${had} version ${version}${when}`, { secretId: id, version, ...(atPosition !== undefined && { at: atPosition }) });
  }
  return found;
};
