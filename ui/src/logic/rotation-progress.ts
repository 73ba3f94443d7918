import { DEFAULT_ENV } from './route.js';
import type { AuditEntry } from './timeline.js';

/**
 * A data-key rotation's progress as the live feed tells it: KeyRotationStarted (names the rotation and
 * its environment), one SecretReEncrypted per secret (carries the rotationId), SecretReEncryptionFailed
 * per failure, KeyRotationCompleted at the end. Pure (unit-tested).
 */
export interface RotationProgress {
  readonly rotationId: string;
  readonly env: string;
  readonly reEncrypted: number;
  readonly failed: number;
  readonly completed: boolean;
}

/**
 * The progress of the latest rotation of `env` started at or after position `since`, or null when none
 * has started yet. Events are the feed's entries in log order.
 */
export const rotationProgress = (entries: readonly AuditEntry[], env: string, since: number): RotationProgress | null => {
  let progress: RotationProgress | null = null;
  for (const e of entries) {
    if (e.position < since) continue;
    // Key events of the default environment carry no `env` (they predate environments).
    if (e.type === 'KeyRotationStarted' && (e.env ?? DEFAULT_ENV) === env && e.rotationId !== undefined) {
      progress = { rotationId: e.rotationId, env, reEncrypted: 0, failed: 0, completed: false };
      continue;
    }
    if (progress === null || e.rotationId !== progress.rotationId) continue;
    if (e.type === 'SecretReEncrypted') progress = { ...progress, reEncrypted: progress.reEncrypted + 1 };
    else if (e.type === 'SecretReEncryptionFailed') progress = { ...progress, failed: progress.failed + 1 };
    else if (e.type === 'KeyRotationCompleted') progress = { ...progress, completed: true };
  }
  return progress;
};

/** A whole percentage for a progress bar, never above 100 (the total is an estimate taken before the start). */
export const percentDone = (progress: RotationProgress, total: number): number => {
  if (progress.completed) return 100;
  if (total <= 0) return 0;
  return Math.min(99, Math.floor(((progress.reEncrypted + progress.failed) * 100) / total));
};
