import { parseDuration } from '../../shared/duration.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { LifecycleChange } from './secret.decider.js';
import type { GeneratorSpec, RotationSchedule, SecretTags } from './secret-events.js';

/** Input rules for tags, expiry, rotation schedules and generated values; pure, shared by every interface. */

const invalid = (message: string): StrongroomError => new StrongroomError(ErrorCode.InvalidInput, message);

export const MAX_TAGS = 50;
/** AWS Secrets Manager's tag limits: keys up to 128 characters, values up to 256. */
const TAG_KEY = /^[A-Za-z0-9_.:/=+@-]{1,128}$/;
const TAG_VALUE = /^[\x20-\x7e]{0,256}$/;

/** @throws INVALID_INPUT unless `value` is at most 50 tags of printable ASCII (key 1-128, value 0-256 characters). */
export const validateTags = (value: unknown): SecretTags => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid('tags must be an object of string values');
  const entries = Object.entries(value);
  if (entries.length > MAX_TAGS) throw invalid(`at most ${MAX_TAGS} tags`);
  for (const [k, v] of entries) {
    if (!TAG_KEY.test(k)) throw invalid('a tag key is 1-128 characters: letters, digits and _ . : / = + @ -');
    if (typeof v !== 'string' || !TAG_VALUE.test(v)) throw invalid(`tag ${k} must be a string of at most 256 printable ASCII characters`);
  }
  return Object.fromEntries(entries) as SecretTags;
};

/**
 * Named character sets for generated values. Each is drawn from uniformly (crypto.randomInt, which
 * rejects rather than reduces modulo, so no character is more likely than another).
 */
export const CHARSETS: Readonly<Record<string, string>> = {
  alphanumeric: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  alpha: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  numeric: '0123456789',
  hex: '0123456789abcdef',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  /** Printable ASCII without the space: 94 characters. */
  printable: Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join(''),
};
export const DEFAULT_GENERATOR: GeneratorSpec = { length: 32, charset: 'alphanumeric' };
export const MIN_GENERATED_LENGTH = 8;
export const MAX_GENERATED_LENGTH = 4096;

/** @throws INVALID_INPUT unless a length of 8-4096 and a charset named in CHARSETS. */
export const validateGenerator = (value: { length?: unknown; charset?: unknown } | undefined): GeneratorSpec => {
  const length = value?.length ?? DEFAULT_GENERATOR.length;
  const charset = value?.charset ?? DEFAULT_GENERATOR.charset;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < MIN_GENERATED_LENGTH || length > MAX_GENERATED_LENGTH) {
    throw invalid(`length must be an integer from ${MIN_GENERATED_LENGTH} to ${MAX_GENERATED_LENGTH}`);
  }
  if (typeof charset !== 'string' || !Object.hasOwn(CHARSETS, charset)) throw invalid(`charset must be one of ${Object.keys(CHARSETS).join(', ')}`);
  return { length, charset };
};

/** The shortest rotation interval: an hour (a shorter one is a mistake in units). */
const MIN_ROTATION_MS = 3_600_000;

/** What a write asks of the lifecycle, as interfaces send it (checked here, not trusted). */
export interface LifecycleInput {
  readonly tags?: unknown;
  /** ISO-8601 time, or null to clear the expiry. */
  readonly expiresAt?: unknown;
  /** A duration from now (`90d`), instead of `expiresAt`. */
  readonly ttl?: unknown;
  /** A duration (`30d`), or null to clear the schedule. */
  readonly rotateEvery?: unknown;
  /** With `rotateEvery`: the service rotates the value itself with a generated one. */
  readonly rotationGenerator?: { length?: unknown; charset?: unknown };
}

/**
 * The lifecycle change a write asks for, checked. `expiresAt` must be in the future of `now`; `ttl`
 * and `expiresAt` exclude each other; a generator needs a schedule.
 * @throws INVALID_INPUT naming the field.
 */
export const lifecycleChange = (input: LifecycleInput, now: Date): LifecycleChange => {
  const change: { -readonly [K in keyof LifecycleChange]: LifecycleChange[K] } = {};
  if (input.tags !== undefined) change.tags = validateTags(input.tags);
  if (input.ttl !== undefined && input.expiresAt !== undefined) throw invalid('give either ttl or expiresAt, not both');
  if (input.ttl !== undefined) change.expiresAt = new Date(now.getTime() + parseDuration(input.ttl, 'ttl')).toISOString();
  if (input.expiresAt === null) change.expiresAt = null;
  else if (input.expiresAt !== undefined) {
    const t = typeof input.expiresAt === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(input.expiresAt) ? Date.parse(input.expiresAt) : Number.NaN;
    if (Number.isNaN(t)) throw invalid('expiresAt must be an ISO-8601 time such as 2027-01-31T00:00:00Z');
    if (t <= now.getTime()) throw invalid('expiresAt must be in the future');
    change.expiresAt = new Date(t).toISOString();
  }
  if (input.rotationGenerator !== undefined && (input.rotateEvery === undefined || input.rotateEvery === null)) {
    throw invalid('a rotation generator needs a schedule (rotateEvery)');
  }
  if (input.rotateEvery === null) change.rotation = null;
  else if (input.rotateEvery !== undefined) {
    if (parseDuration(input.rotateEvery, 'rotateEvery') < MIN_ROTATION_MS) throw invalid('rotateEvery must be at least 1h');
    const schedule: RotationSchedule = {
      every: input.rotateEvery as string,
      ...(input.rotationGenerator !== undefined && { generate: validateGenerator(input.rotationGenerator) }),
    };
    change.rotation = schedule;
  }
  return change;
};
