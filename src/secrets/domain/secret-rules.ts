import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { SecretMetadata } from './secret-events.js';

/** Input rules for secrets, checked before anything is encrypted or appended. */

export const DEFAULT_MAX_VALUE_BYTES = 64 * 1024;
export const MAX_NAME_LENGTH = 256;
export const MAX_METADATA_BYTES = 8 * 1024;

const SECRET_ID = /^[0-9a-f]{32}$/;
// Control characters (C0, DEL, C1) and the Unicode line/paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const invalid = (message: string, details: Record<string, unknown> = {}): StrongroomError =>
  new StrongroomError(ErrorCode.InvalidInput, message, details);

export const isSecretId = (value: string): boolean => SECRET_ID.test(value);

export const validateSecretId = (value: unknown): string => {
  if (typeof value !== 'string' || !SECRET_ID.test(value)) {
    throw invalid('a secret id is 32 lowercase hexadecimal characters');
  }
  return value;
};

export const validateName = (value: unknown): string => {
  if (typeof value !== 'string') throw invalid('the secret name must be a string');
  if (value.length === 0) throw invalid('the secret name must not be empty');
  if (value.length > MAX_NAME_LENGTH) throw invalid(`the secret name must be at most ${MAX_NAME_LENGTH} characters`);
  if (CONTROL.test(value)) throw invalid('the secret name must not contain control characters');
  if (value.trim() !== value) throw invalid('the secret name must not start or end with white space');
  // A name that looks like an id would make "NAME|ID" arguments ambiguous.
  if (SECRET_ID.test(value)) throw invalid('the secret name must not look like a secret id (32 hex characters)');
  return value;
};

/** Checks type and size only; the value itself never appears in a message. */
export const validateValue = (value: unknown, maxBytes: number): string => {
  if (typeof value !== 'string') throw invalid('the secret value must be a string');
  if (value.length === 0) throw invalid('the secret value must not be empty');
  // Cheap upper bound first: a UTF-16 unit is at most 3 UTF-8 bytes.
  if (value.length * 3 > maxBytes) {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > maxBytes) throw invalid(`the secret value is ${bytes} bytes; the limit is ${maxBytes}`, { bytes, limit: maxBytes });
  }
  return value;
};

export const validateMetadata = (value: unknown): SecretMetadata => {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('metadata must be an object of string, number, boolean or null values');
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, v] of Object.entries(value)) {
    if (CONTROL.test(key) || key.length === 0) throw invalid('metadata keys must be non-empty and free of control characters');
    if (v !== null && typeof v !== 'string' && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) {
      throw invalid(`metadata "${key}" must be a string, finite number, boolean or null`);
    }
    out[key] = v as string | number | boolean | null;
  }
  if (JSON.stringify(out).length > MAX_METADATA_BYTES) throw invalid(`metadata must be at most ${MAX_METADATA_BYTES} bytes as JSON`);
  return out;
};

export const validateExpectedVersion = (value: unknown): number | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalid('expectedVersion must be a positive integer');
  return value;
};
