import type { RotationSchedule, SecretEvent, SecretMetadata, SecretTags } from './secret-events.js';
import { DEFAULT_ENV } from './secret-rules.js';

/**
 * State of one secret slot: the secret holding a name, if any. Pure: `evolve` is used both by the
 * command side (to decide) and by the projection (to answer queries), so both read the log the same way.
 * Only the current version's ciphertext is held; other versions are read from the slot's stream on
 * demand (find-version.ts), so memory stays proportional to the number of secrets.
 */
export interface LiveSecret {
  readonly id: string;
  readonly name: string;
  readonly env: string;
  /** The current version (the `current` stage). */
  readonly version: number;
  /** The current version's ciphertext ('' while folding a redacted event, and once the version is destroyed). */
  readonly ciphertext: string;
  readonly keyId: string;
  /** The current version's value is bytes, not UTF-8 text. */
  readonly binary: boolean;
  readonly metadata: SecretMetadata;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When the value last changed by a rotation or promotion (or creation, if never rotated). */
  readonly lastRotatedAt: string;
  /** The highest version number ever given (a pending version may be above the current one). */
  readonly latestVersion: number;
  /** Stage labels other than `current`: `previous`, `pending` and labels users chose, each on one version. */
  readonly stages: Readonly<Record<string, number>>;
  readonly tags: SecretTags;
  /** ISO-8601 UTC expiry, or null for none. */
  readonly expiresAt: string | null;
  /** True once SecretExpired is recorded for the current expiry. */
  readonly expired: boolean;
  /** Lead times (`14d`) already warned of for the current expiry. */
  readonly expiryWarnings: readonly string[];
  readonly rotation: RotationSchedule | null;
  /** The due time that SecretRotationDue was last recorded for. */
  readonly rotationDueNotified: string | null;
  /** Set while the secret is deleted and within its recovery window. */
  readonly deletedAt: string | null;
  readonly purgeAt: string | null;
  /** Versions whose values were destroyed. */
  readonly destroyedVersions: readonly number[];
}

export interface SecretSlot {
  /** Revision of the slot's stream; -1 when the stream does not exist yet. */
  readonly revision: number;
  readonly live: LiveSecret | null;
}

export const initialSlot = (): SecretSlot => ({ revision: -1, live: null });

/** What `evolve` needs of a recorded event: its payload and when it happened. */
export type SlotEvent = SecretEvent & { readonly metadata: { readonly occurredAt: string }; readonly revision: number };

/** A redacted event's ciphertext reads back as null (see src/audit/redaction.ts). */
const text = (ciphertext: string | null): string => ciphertext ?? '';

/** Applies the lifecycle fields an event carries; an expiry that changes starts afresh. */
const withLifecycle = (live: LiveSecret, d: { tags?: SecretTags; expiresAt?: string | null; rotation?: RotationSchedule | null }): LiveSecret => {
  let next = live;
  if (d.tags !== undefined) next = { ...next, tags: d.tags };
  if (d.rotation !== undefined) next = { ...next, rotation: d.rotation, rotationDueNotified: null };
  if (d.expiresAt !== undefined && d.expiresAt !== live.expiresAt) next = { ...next, expiresAt: d.expiresAt, expired: false, expiryWarnings: [] };
  return next;
};

const withoutStage = (stages: Readonly<Record<string, number>>, stage: string): Readonly<Record<string, number>> => {
  const { [stage]: _removed, ...rest } = stages;
  return rest;
};

/** A new current version: the former current one becomes `previous`. */
const newCurrent = (live: LiveSecret, version: number): Pick<LiveSecret, 'version' | 'latestVersion' | 'stages'> => {
  let stages: Record<string, number> = { ...live.stages, previous: live.version };
  if (stages.pending === version) stages = withoutStage(stages, 'pending') as Record<string, number>;
  return { version, latestVersion: Math.max(live.latestVersion, version), stages };
};

export const evolve = (slot: SecretSlot, event: SlotEvent): SecretSlot => {
  const at = event.metadata.occurredAt;
  const revision = event.revision;
  const live = slot.live;
  if (event.type === 'SecretStored') {
    const d = event.data;
    return {
      revision,
      live: {
        id: d.secretId,
        name: d.name,
        env: d.env ?? DEFAULT_ENV,
        version: d.version,
        ciphertext: text(d.ciphertext),
        keyId: d.keyId,
        binary: d.binary === true,
        metadata: d.metadata,
        createdAt: at,
        updatedAt: at,
        lastRotatedAt: at,
        latestVersion: d.version,
        stages: {},
        tags: d.tags ?? {},
        expiresAt: d.expiresAt ?? null,
        expired: false,
        expiryWarnings: [],
        rotation: d.rotation ?? null,
        rotationDueNotified: null,
        deletedAt: null,
        purgeAt: null,
        destroyedVersions: [],
      },
    };
  }
  // Every other event names its secret: one of an earlier secret of this name changes nothing here.
  if (!live || live.id !== event.data.secretId) return { revision, live };
  switch (event.type) {
    case 'SecretUpdated': {
      const d = event.data;
      const next = { ...live, ...newCurrent(live, d.version), ciphertext: text(d.ciphertext), keyId: d.keyId, binary: d.binary === true, metadata: d.metadata ?? live.metadata, updatedAt: at };
      return { revision, live: withLifecycle(next, d) };
    }
    case 'SecretRotated': {
      const d = event.data;
      const next = { ...live, ...newCurrent(live, d.version), ciphertext: text(d.ciphertext), keyId: d.keyId, binary: d.binary === true, updatedAt: at, lastRotatedAt: at };
      return { revision, live: withLifecycle(next, d) };
    }
    case 'SecretReEncrypted': {
      // Only the current version's ciphertext lives in the slot.
      if (live.version !== event.data.version) return { revision, live };
      return { revision, live: { ...live, ciphertext: text(event.data.ciphertext), keyId: event.data.keyId } };
    }
    case 'SecretVersionPending': {
      const d = event.data;
      return { revision, live: { ...live, latestVersion: Math.max(live.latestVersion, d.version), stages: { ...live.stages, pending: d.version }, updatedAt: at } };
    }
    case 'SecretVersionPromoted': {
      const d = event.data;
      return {
        revision,
        live: { ...live, ...newCurrent(live, d.version), ciphertext: text(d.ciphertext), keyId: d.keyId, binary: d.binary === true, updatedAt: at, lastRotatedAt: at },
      };
    }
    case 'SecretStageMoved':
      return { revision, live: { ...live, stages: { ...live.stages, [event.data.stage]: event.data.version }, updatedAt: at } };
    case 'SecretStageRemoved':
      return { revision, live: { ...live, stages: withoutStage(live.stages, event.data.stage), updatedAt: at } };
    case 'SecretMetadataUpdated': {
      const d = event.data;
      return { revision, live: withLifecycle({ ...live, metadata: d.metadata ?? live.metadata, updatedAt: at }, d) };
    }
    case 'SecretDeleted':
      // Without a recovery window (every delete before windows existed, and --force) it is gone at once.
      if (event.data.purgeAt === undefined) return { revision, live: null };
      return { revision, live: { ...live, deletedAt: at, purgeAt: event.data.purgeAt } };
    case 'SecretRestored':
      return { revision, live: { ...live, deletedAt: null, purgeAt: null } };
    case 'SecretPurged':
      return { revision, live: null };
    case 'SecretVersionsDestroyed': {
      const destroyed = [...new Set([...live.destroyedVersions, ...event.data.versions])].sort((a, b) => a - b);
      const stages = Object.fromEntries(Object.entries(live.stages).filter(([, v]) => !destroyed.includes(v)));
      // The decider never destroys the current version alone (a whole destroy purges next), but a slot
      // must not keep a destroyed ciphertext in any case: snapshots are written from slots.
      const ciphertext = destroyed.includes(live.version) ? '' : live.ciphertext;
      return { revision, live: { ...live, destroyedVersions: destroyed, stages, ciphertext } };
    }
    case 'SecretExpired':
      return { revision, live: { ...live, expired: true } };
    case 'SecretExpiring':
      return { revision, live: { ...live, expiryWarnings: [...live.expiryWarnings, event.data.leadTime] } };
    case 'SecretRotationDue':
      return { revision, live: { ...live, rotationDueNotified: event.data.dueAt } };
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

/** True when reads must answer SECRET_EXPIRED: recorded as expired, or past its expiry by `now` already. */
export const isExpired = (live: LiveSecret, now: Date): boolean => live.expired || (live.expiresAt !== null && now.getTime() >= Date.parse(live.expiresAt));

/** The lifecycle status a listing shows. */
export const statusOf = (live: LiveSecret, now: Date): 'active' | 'expired' | 'deleted' =>
  live.deletedAt !== null ? 'deleted' : isExpired(live, now) ? 'expired' : 'active';
