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

/**
 * The name grammar, defined once and used by every interface (issue: `team/../prod-db` was accepted,
 * and curl's path normalisation then made `GET /v1/secrets/team/../prod-db` read `prod-db`).
 * A name is 1-256 ASCII characters: segments of letters, digits and `_ . @ -`, joined by `/`. No
 * segment is empty, `.` or `..` (URL paths would collapse them); no white space, `%`, `+`, `?`, `#`,
 * `}` or non-ASCII (query strings, URL encoding, `${{ secrets.NAME }}` references and look-alike
 * Unicode spellings would each make some name ambiguous somewhere). Names are case-sensitive.
 */
const NAME_SEGMENT = /^[A-Za-z0-9_.@-]+$/;

export const validateName = (value: unknown): string => {
  if (typeof value !== 'string') throw invalid('the secret name must be a string');
  if (value.length === 0) throw invalid('the secret name must not be empty');
  if (value.length > MAX_NAME_LENGTH) throw invalid(`the secret name must be at most ${MAX_NAME_LENGTH} characters`);
  for (const segment of value.split('/')) {
    if (segment.length === 0) throw invalid('the secret name must not start or end with "/" or contain "//" (empty segments cannot be addressed in a URL)');
    if (segment === '.' || segment === '..') throw invalid('the secret name must not contain "." or ".." segments (URLs collapse them, so the name would address another secret)');
    if (!NAME_SEGMENT.test(segment)) {
      throw invalid('the secret name may contain only ASCII letters, digits, "_", ".", "@", "-", and "/" between segments');
    }
  }
  // A name that looks like an id would make "NAME|ID" arguments ambiguous.
  if (SECRET_ID.test(value)) throw invalid('the secret name must not look like a secret id (32 hex characters)');
  return value;
};

/**
 * Environment names: lowercase ASCII letters, digits, `_` and `-`, starting with a letter or digit, at
 * most 32 characters (they appear in URLs, bus subjects and stream names).
 */
const ENV_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** Where secrets of a store written before environments existed live (no event is rewritten). */
export const DEFAULT_ENV = 'default';

export const validateEnvName = (value: unknown): string => {
  if (typeof value !== 'string' || !ENV_NAME.test(value)) {
    throw invalid('an environment name is 1-32 lowercase letters, digits, "_" or "-", starting with a letter or digit');
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
