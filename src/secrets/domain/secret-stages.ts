import { ErrorCode, StrongroomError } from '../../shared/errors.js';

/**
 * Stage labels on versions (AWS Secrets Manager's AWSCURRENT / AWSPREVIOUS / AWSPENDING, lower-cased):
 * `current` is what reads return, `previous` the version current before it, `pending` a new value
 * being tested by a two-phase rotation. They move by themselves; every other label is the user's.
 */
export const RESERVED_STAGES: readonly string[] = ['current', 'previous', 'pending'];

/** A stage label: 1-32 lowercase ASCII letters, digits, `_` or `-`, starting with a letter. */
const STAGE = /^[a-z][a-z0-9_-]{0,31}$/;

/** @throws INVALID_INPUT unless `value` is a stage label. */
export const validateStage = (value: unknown): string => {
  if (typeof value !== 'string' || !STAGE.test(value)) {
    throw new StrongroomError(ErrorCode.InvalidInput, 'a stage is 1-32 lowercase letters, digits, "_" or "-", starting with a letter (current, previous, pending, or your own label)');
  }
  return value;
};
