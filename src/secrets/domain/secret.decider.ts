import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { Redaction, RotationSchedule, SecretEvent, SecretMetadata, SecretTags } from './secret-events.js';
import { dueWork } from './secret-lifecycle.js';
import type { LiveSecret, SecretSlot } from './secret-slot.js';
import { DEFAULT_ENV } from './secret-rules.js';
import { RESERVED_STAGES } from './secret-stages.js';

/**
 * Pure decisions over one secret slot. Values arrive already encrypted: the handler encrypts before it
 * calls `decide`, so no plaintext ever reaches an event. Time arrives as `now` (ISO-8601 UTC, from the
 * injected clock), never read here.
 */
export interface EncryptedValue {
  readonly ciphertext: string;
  readonly keyId: string;
  readonly binary: boolean;
}

/** Lifecycle fields a write may set; absent = unchanged, null = cleared. */
export interface LifecycleChange {
  readonly tags?: SecretTags;
  readonly expiresAt?: string | null;
  readonly rotation?: RotationSchedule | null;
}

export type SecretCommand =
  | {
      readonly type: 'StoreSecret';
      readonly data: EncryptedValue & {
        readonly secretId: string;
        readonly name: string;
        readonly env: string;
        readonly metadata: SecretMetadata;
        readonly tags?: SecretTags;
        readonly expiresAt?: string;
        readonly rotation?: RotationSchedule;
        readonly now?: string;
      };
    }
  | { readonly type: 'UpdateSecret'; readonly data: EncryptedValue & LifecycleChange & { readonly secretId: string; readonly metadata?: SecretMetadata; readonly expectedVersion?: number } }
  | { readonly type: 'RotateSecret'; readonly data: EncryptedValue & LifecycleChange & { readonly secretId: string; readonly expectedVersion?: number; readonly generated?: boolean } }
  | {
      readonly type: 'DeleteSecret';
      /** `recoveryDays` 0 or `force`: gone at once (SecretDeleted then SecretPurged). */
      readonly data: { readonly secretId: string; readonly expectedVersion?: number; readonly now: string; readonly recoveryDays: number; readonly force?: boolean };
    }
  | { readonly type: 'RestoreSecret'; readonly data: { readonly secretId: string; readonly now: string } }
  | { readonly type: 'PutPendingVersion'; readonly data: EncryptedValue & { readonly secretId: string; readonly generated?: boolean } }
  | {
      readonly type: 'PromoteVersion';
      readonly data: {
        readonly secretId: string;
        readonly version: number;
        readonly stage: string;
        /** The version's value, for `current` (read from the slot's stream by the handler). */
        readonly value?: EncryptedValue;
        readonly expectedVersion?: number;
      };
    }
  | { readonly type: 'RemoveStage'; readonly data: { readonly secretId: string; readonly stage: string } }
  | { readonly type: 'UpdateSecretMetadata'; readonly data: LifecycleChange & { readonly secretId: string; readonly metadata?: SecretMetadata } }
  | {
      readonly type: 'DestroySecret';
      readonly data: {
        readonly secretId: string;
        /** Versions to destroy (with `whole`: every version the handler found; the slot's own count wins). */
        readonly versions: readonly number[];
        /** Every version, and the secret ends (purged). */
        readonly whole: boolean;
        /** Every event holding a ciphertext of those versions (computed by the handler from the stream). */
        readonly redactions: readonly Redaction[];
      };
    }
  | {
      readonly type: 'RunTimers';
      readonly data: { readonly secretId: string; readonly now: string; readonly warnings: readonly string[]; readonly generated?: EncryptedValue };
    }
  | {
      readonly type: 'ReEncryptSecret';
      readonly data: { readonly secretId: string; readonly version: number; readonly ciphertext: string; readonly keyId: string; readonly rotationId: string };
    };

const notFound = (secretId: string): StrongroomError => new StrongroomError(ErrorCode.SecretNotFound, `secret ${secretId} not found`, { secretId });

const deleted = (live: LiveSecret): StrongroomError =>
  new StrongroomError(
    ErrorCode.SecretDeleted,
    `secret ${live.name} is deleted; it can be restored until ${live.purgeAt} (restore-secret)`,
    { secretId: live.id, purgeAt: live.purgeAt },
  );

/** The slot's secret, whatever its state (deleted within its window included). */
const anySecret = (slot: SecretSlot, secretId: string): LiveSecret => {
  if (!slot.live || slot.live.id !== secretId) throw notFound(secretId);
  return slot.live;
};

/** The slot's secret, refusing a deleted one: nothing changes a secret in its recovery window but restore. */
const liveSecret = (slot: SecretSlot, secretId: string): LiveSecret => {
  const live = anySecret(slot, secretId);
  if (live.deletedAt !== null) throw deleted(live);
  return live;
};

const checkVersion = (live: LiveSecret, expectedVersion: number | undefined): void => {
  if (expectedVersion !== undefined && expectedVersion !== live.version) {
    throw new StrongroomError(ErrorCode.VersionConflict, `secret ${live.id} is at version ${live.version}, not the expected ${expectedVersion}`, {
      secretId: live.id,
      expectedVersion,
      actualVersion: live.version,
    });
  }
};

const invalid = (message: string): StrongroomError => new StrongroomError(ErrorCode.InvalidInput, message);

/** Optional event fields, present only when given (events keep their earlier shape otherwise). */
const valueFields = (v: EncryptedValue) => ({ ciphertext: v.ciphertext, keyId: v.keyId, ...(v.binary && { binary: true as const }) });
const lifecycleFields = (c: LifecycleChange) => ({
  ...(c.tags !== undefined && { tags: c.tags }),
  ...(c.expiresAt !== undefined && { expiresAt: c.expiresAt }),
  ...(c.rotation !== undefined && { rotation: c.rotation }),
});

const checkVersionExists = (live: LiveSecret, version: number): void => {
  if (!Number.isInteger(version) || version < 1 || version > live.latestVersion) {
    throw new StrongroomError(ErrorCode.SecretNotFound, `secret ${live.name} has no version ${version}`, { secretId: live.id, version });
  }
  if (live.destroyedVersions.includes(version)) {
    throw new StrongroomError(ErrorCode.VersionDestroyed, `version ${version} of secret ${live.name} was destroyed`, { secretId: live.id, version });
  }
};

const addDays = (iso: string, days: number): string => new Date(Date.parse(iso) + days * 86_400_000).toISOString();

export const decide = (command: SecretCommand, slot: SecretSlot): SecretEvent[] => {
  switch (command.type) {
    case 'StoreSecret': {
      const d = command.data;
      const purged: SecretEvent[] = [];
      if (slot.live) {
        const live = slot.live;
        // A recovery window that has ended frees the name now, whether or not a timer has run yet.
        const windowOver = live.deletedAt !== null && d.now !== undefined && live.purgeAt !== null && Date.parse(d.now) >= Date.parse(live.purgeAt);
        if (!windowOver) {
          const why = live.deletedAt !== null ? `a deleted secret named "${d.name}" holds the name until ${live.purgeAt}; restore it, or destroy it` : `a secret named "${d.name}" already exists; update it instead`;
          throw new StrongroomError(ErrorCode.SecretNameConflict, why, { name: d.name, secretId: live.id });
        }
        purged.push({ type: 'SecretPurged', data: { secretId: live.id, version: live.version } });
      }
      return [
        ...purged,
        {
          type: 'SecretStored',
          data: {
            secretId: d.secretId,
            name: d.name,
            // The default environment's events keep their pre-environment shape.
            ...(d.env !== DEFAULT_ENV && { env: d.env }),
            version: 1,
            ...valueFields(d),
            metadata: d.metadata,
            ...(d.tags !== undefined && Object.keys(d.tags).length > 0 && { tags: d.tags }),
            ...(d.expiresAt !== undefined && { expiresAt: d.expiresAt }),
            ...(d.rotation !== undefined && { rotation: d.rotation }),
          },
        },
      ];
    }
    case 'UpdateSecret': {
      const d = command.data;
      const live = liveSecret(slot, d.secretId);
      checkVersion(live, d.expectedVersion);
      const data = { secretId: live.id, version: live.latestVersion + 1, ...valueFields(d), ...lifecycleFields(d) };
      return [{ type: 'SecretUpdated', data: d.metadata === undefined ? data : { ...data, metadata: d.metadata } }];
    }
    case 'RotateSecret': {
      const d = command.data;
      const live = liveSecret(slot, d.secretId);
      checkVersion(live, d.expectedVersion);
      return [{ type: 'SecretRotated', data: { secretId: live.id, version: live.latestVersion + 1, ...valueFields(d), ...(d.generated === true && { generated: true as const }), ...lifecycleFields(d) } }];
    }
    case 'DeleteSecret': {
      const d = command.data;
      const live = anySecret(slot, d.secretId);
      const purge: SecretEvent = { type: 'SecretPurged', data: { secretId: live.id, version: live.version } };
      // Forcing the end of a window already running purges it now.
      if (live.deletedAt !== null) {
        if (d.force === true) return [purge];
        throw deleted(live);
      }
      checkVersion(live, d.expectedVersion);
      const days = d.force === true ? 0 : d.recoveryDays;
      if (days === 0) return [{ type: 'SecretDeleted', data: { secretId: live.id, version: live.version, recoveryDays: 0 } }, purge];
      return [{ type: 'SecretDeleted', data: { secretId: live.id, version: live.version, recoveryDays: days, purgeAt: addDays(d.now, days) } }];
    }
    case 'RestoreSecret': {
      const d = command.data;
      const live = anySecret(slot, d.secretId);
      if (live.deletedAt === null) throw invalid(`secret ${live.name} is not deleted`);
      if (live.purgeAt !== null && Date.parse(d.now) >= Date.parse(live.purgeAt)) {
        throw new StrongroomError(ErrorCode.SecretNotFound, `the recovery window of secret ${live.name} ended at ${live.purgeAt}`, { secretId: live.id });
      }
      return [{ type: 'SecretRestored', data: { secretId: live.id, version: live.version } }];
    }
    case 'PutPendingVersion': {
      const d = command.data;
      const live = liveSecret(slot, d.secretId);
      const pending = live.stages.pending;
      if (pending !== undefined) {
        throw new StrongroomError(ErrorCode.VersionConflict, `version ${pending} of secret ${live.name} is already pending; promote it or cancel it first`, {
          secretId: live.id,
          pendingVersion: pending,
        });
      }
      return [{ type: 'SecretVersionPending', data: { secretId: live.id, version: live.latestVersion + 1, ...valueFields(d), ...(d.generated === true && { generated: true as const }) } }];
    }
    case 'PromoteVersion': {
      const d = command.data;
      const live = liveSecret(slot, d.secretId);
      checkVersion(live, d.expectedVersion);
      checkVersionExists(live, d.version);
      if (d.stage === 'current') {
        if (d.version === live.version) return [];
        if (!d.value) throw new Error('promoting a version needs its value');
        return [{ type: 'SecretVersionPromoted', data: { secretId: live.id, version: d.version, previousVersion: live.version, ...valueFields(d.value) } }];
      }
      if (RESERVED_STAGES.includes(d.stage)) throw invalid(`the ${d.stage} stage moves by itself (put-pending, promote); label versions with a stage of your own`);
      if (live.stages[d.stage] === d.version) return [];
      return [{ type: 'SecretStageMoved', data: { secretId: live.id, stage: d.stage, version: d.version } }];
    }
    case 'RemoveStage': {
      const d = command.data;
      const live = liveSecret(slot, d.secretId);
      if (d.stage === 'current' || d.stage === 'previous') throw invalid(`the ${d.stage} stage cannot be removed; promote another version instead`);
      const version = live.stages[d.stage];
      if (version === undefined) throw new StrongroomError(ErrorCode.SecretNotFound, `no version of secret ${live.name} has the stage ${d.stage}`, { secretId: live.id, stage: d.stage });
      return [{ type: 'SecretStageRemoved', data: { secretId: live.id, stage: d.stage, version } }];
    }
    case 'UpdateSecretMetadata': {
      const d = command.data;
      const live = liveSecret(slot, d.secretId);
      const fields = { ...(d.metadata !== undefined && { metadata: d.metadata }), ...lifecycleFields(d) };
      if (Object.keys(fields).length === 0) throw invalid('nothing to change: give metadata, tags, an expiry or a rotation schedule');
      return [{ type: 'SecretMetadataUpdated', data: { secretId: live.id, version: live.version, ...fields } }];
    }
    case 'DestroySecret': {
      const d = command.data;
      const live = slot.live && slot.live.id === d.secretId ? slot.live : null;
      if (live === null) {
        // A secret no longer in its slot (purged, or its name reused): only its history is left to destroy.
        if (d.redactions.length === 0) return [];
        return [{ type: 'SecretVersionsDestroyed', data: { secretId: d.secretId, versions: [...d.versions], redactions: d.redactions } }];
      }
      for (const v of d.versions) {
        if (v < 1 || v > live.latestVersion) throw new StrongroomError(ErrorCode.SecretNotFound, `secret ${live.name} has no version ${v}`, { secretId: live.id, version: v });
      }
      if (!d.whole && d.versions.includes(live.version)) {
        throw new StrongroomError(ErrorCode.VersionConflict, `version ${live.version} of secret ${live.name} is current: promote another version first, or destroy the whole secret`, {
          secretId: live.id,
          version: live.version,
        });
      }
      const asked = d.whole ? Array.from({ length: live.latestVersion }, (_, i) => i + 1) : [...new Set(d.versions)].sort((a, b) => a - b);
      const versions = asked.filter((v) => !live.destroyedVersions.includes(v));
      const events: SecretEvent[] = [];
      if (versions.length > 0 || d.redactions.length > 0) events.push({ type: 'SecretVersionsDestroyed', data: { secretId: live.id, versions, redactions: d.redactions } });
      if (d.whole) events.push({ type: 'SecretPurged', data: { secretId: live.id, version: live.version } });
      return events;
    }
    case 'RunTimers': {
      const d = command.data;
      const live = slot.live;
      if (!live || live.id !== d.secretId) return [];
      const events: SecretEvent[] = [];
      for (const work of dueWork(live, new Date(d.now), d.warnings)) {
        const base = { secretId: live.id, version: live.version };
        switch (work.kind) {
          case 'purge':
            events.push({ type: 'SecretPurged', data: base });
            break;
          case 'expire':
            events.push({ type: 'SecretExpired', data: { ...base, expiresAt: live.expiresAt as string } });
            break;
          case 'warn':
            events.push({ type: 'SecretExpiring', data: { ...base, expiresAt: live.expiresAt as string, leadTime: work.leadTime } });
            break;
          case 'rotate':
            if (work.generate && d.generated) {
              events.push({ type: 'SecretRotated', data: { secretId: live.id, version: live.latestVersion + 1, ...valueFields(d.generated), generated: true } });
            } else {
              events.push({ type: 'SecretRotationDue', data: { ...base, dueAt: work.dueAt, every: live.rotation?.every ?? '' } });
            }
            break;
        }
      }
      return events;
    }
    case 'ReEncryptSecret': {
      const d = command.data;
      // A deleted secret within its window is re-encrypted too (a restore must find it under a live key).
      const live = anySecret(slot, d.secretId);
      // Idempotent, so a resumed rotation can run over secrets it already handled.
      if (live.keyId === d.keyId) return [];
      checkVersion(live, d.version);
      return [
        {
          type: 'SecretReEncrypted',
          data: { secretId: live.id, version: live.version, ciphertext: d.ciphertext, keyId: d.keyId, previousKeyId: live.keyId, rotationId: d.rotationId },
        },
      ];
    }
    default: {
      const exhaustive: never = command;
      return exhaustive;
    }
  }
};
