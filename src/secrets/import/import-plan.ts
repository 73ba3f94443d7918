import { validateName } from '../domain/secret-rules.js';
import { toSecretValue } from '../domain/secret-value.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { ImportEntry } from './import-sources.js';

/** What an import does with one secret: store a new one, add a version to an existing one, or leave it. */
export type ImportAction = 'create' | 'update' | 'skip';

export interface PlannedImport {
  readonly name: string;
  readonly value: string;
  readonly action: ImportAction;
}

/**
 * Every entry checked before anything is written (so a bad entry at the end loses nothing at the
 * start): its name (`prefix` + key) against the name grammar, its value against the size limit
 * (`maxValueBytes`, bytes). An existing name is updated (a new version), or skipped with `skipExisting`.
 * @throws INVALID_INPUT / VALUE_TOO_LARGE naming the key (never the value); SECRET_DELETED for a name
 *   within its recovery window (unless skipped).
 */
export const planImport = (
  entries: readonly ImportEntry[],
  options: {
    readonly prefix: string;
    /** Names that exist, with their status (a deleted one is within its recovery window). */
    readonly existing: ReadonlyMap<string, 'active' | 'expired' | 'deleted'>;
    readonly skipExisting: boolean;
    readonly maxValueBytes: number;
  },
): PlannedImport[] => {
  if (entries.length === 0) throw new StrongroomError(ErrorCode.InvalidInput, 'the source holds no secrets');
  return entries.map(({ key, value }) => {
    const name = `${options.prefix}${key}`;
    try {
      validateName(name);
      toSecretValue(value, options.maxValueBytes);
    } catch (e) {
      if (e instanceof StrongroomError) throw new StrongroomError(e.code, `${JSON.stringify(name.slice(0, 300))}: ${e.message}`, e.details);
      throw e;
    }
    const status = options.existing.get(name);
    if (status === 'deleted' && !options.skipExisting) {
      throw new StrongroomError(ErrorCode.SecretDeleted, `${name} is deleted but still recoverable; restore it (restore-secret) or delete it for good (delete-secret --force) first`, { ref: name });
    }
    const exists = status !== undefined;
    return { name, value, action: exists ? (options.skipExisting ? 'skip' : 'update') : 'create' };
  });
};
