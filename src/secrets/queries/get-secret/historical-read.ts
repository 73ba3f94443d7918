import type { EventLog } from '../../../kernel/tokens.js';
import type { ResolvedMoment } from '../../../compliance/point-in-time.js';
import { slotAt } from '../../../compliance/state-at.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { isSecretId, validateName } from '../../domain/secret-rules.js';
import type { LiveSecret } from '../../domain/secret-slot.js';
import { slotStream } from '../../secret-streams.js';
import { storedVersionIn, type StoredVersion } from './find-version.js';
import { refuseUnknownEnvironment } from '../../secret-resolver.js';

/** What a historical read found: the secret as it was, and the stored value of the version asked for. */
export interface PastValue {
  readonly live: LiveSecret;
  readonly version: number;
  readonly stored: StoredVersion & { readonly ciphertext: string };
}

/**
 * The secret `ref` (a name, or an id of any secret ever stored) in `env` as it was just after
 * `moment.position`, folded from its own slot stream only (never the access history), and the stored
 * value of the version `versionOf` picks. A value destroyed since is gone: VERSION_DESTROYED.
 * @throws SECRET_NOT_FOUND (no such secret then, or deleted for good by then), SECRET_DELETED (deleted, within its recovery window, then), SECRET_EXPIRED (expired by then), VERSION_DESTROYED
 */
export const readPastValue = async (
  log: EventLog,
  projection: StrongroomProjection,
  env: string,
  ref: string,
  moment: ResolvedMoment,
  versionOf: (live: LiveSecret) => number,
): Promise<PastValue> => {
  const notThen = (): StrongroomError => {
    refuseUnknownEnvironment(projection, env);
    return new StrongroomError(ErrorCode.SecretNotFound, `secret ${ref} did not exist in environment ${env} at position ${moment.position}`, { ref, env, at: moment.position });
  };
  let stream: string;
  if (isSecretId(ref)) {
    const found = projection.streamOfId(ref);
    if (found === undefined || projection.envOfStream(found) !== env) throw notThen();
    stream = found;
  } else {
    stream = slotStream(env, validateName(ref));
  }
  const { slot, events } = await slotAt(log, stream, moment.position);
  const live = slot.live;
  if (live && live.deletedAt !== null && (!isSecretId(ref) || live.id === ref)) {
    throw new StrongroomError(ErrorCode.SecretDeleted, `secret ${ref} had been deleted by position ${moment.position} (at ${live.deletedAt})`, { ref, env, at: moment.position });
  }
  // Nothing live, though the name (or id) had a secret before: it had been deleted for good by then.
  const hadOne = events.some((e) => e.type === 'SecretStored' && (!isSecretId(ref) || (e.data as { secretId?: unknown }).secretId === ref));
  if (!live && hadOne) {
    throw new StrongroomError(ErrorCode.SecretNotFound, `secret ${ref} had been deleted for good by position ${moment.position}`, { ref, env, at: moment.position });
  }
  if (!live || (isSecretId(ref) && live.id !== ref)) throw notThen();
  if (live.expired) throw new StrongroomError(ErrorCode.SecretExpired, `secret ${ref} had expired by position ${moment.position}`, { ref, at: moment.position });
  const version = versionOf(live);
  if (live.destroyedVersions.includes(version)) throw destroyed(ref, version);
  const stored = storedVersionIn(events, live, version, moment.position);
  // Redacted since: the value was destroyed after that moment, and nothing can bring it back.
  if (stored.ciphertext === null) throw destroyed(ref, version);
  return { live, version, stored: stored as StoredVersion & { readonly ciphertext: string } };
};

const destroyed = (ref: string, version: number): StrongroomError =>
  new StrongroomError(ErrorCode.VersionDestroyed, `version ${version} of secret ${ref} was destroyed`, { ref, version });
