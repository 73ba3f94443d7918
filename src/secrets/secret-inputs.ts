import { z } from 'zod';
import { DEFAULT_ENV, validateEnvName } from './domain/secret-rules.js';

/**
 * Input shapes shared by the secrets use cases. They check types and shapes only; the domain checks
 * meaning (the name grammar, value sizes) so every interface gets the same answer. Objects are strict:
 * a parameter nobody reads is an error, never silently ignored.
 */

const isEnvName = (v: string): boolean => {
  try {
    validateEnvName(v);
    return true;
  } catch {
    return false;
  }
};

/** An environment name, checked against the grammar. */
export const envNameInput = z
  .string({ error: 'env must be a string' })
  .refine(isEnvName, 'an environment name is 1-32 lowercase letters, digits, "_" or "-", starting with a letter or digit');

/** The environment, `default` when absent. */
export const envInput = envNameInput.default(DEFAULT_ENV);

/** A secret id (32 hex characters) or a name. */
export const refInput = z.string({ error: 'a secret reference (an id or a name) is required' }).min(1, 'a secret reference must not be empty');

/** Text (a string) or bytes (a Uint8Array); sizes and well-formedness are checked by toSecretValue. */
export const valueInput = z.union([z.string(), z.instanceof(Uint8Array)], { error: 'the secret value must be a string (text) or bytes (binary)' });

/** A log position or a count: a non-negative integer (query strings are converted by the HTTP edge). */
export const positionInput = z.number({ error: 'must be a non-negative integer' }).int('must be a non-negative integer').nonnegative('must be a non-negative integer');

/** A version number: a positive integer. */
export const versionInput = z.number({ error: 'must be a positive integer' }).int('must be a positive integer').positive('must be a positive integer');

/** Metadata as given; validateMetadata checks keys, value types and size. */
export const metadataInput = z.record(z.string(), z.unknown(), { error: 'metadata must be an object' });

/** Tags as given; validateTags checks keys, values and count. */
export const tagsInput = z.record(z.string(), z.unknown(), { error: 'tags must be an object' });

/** A generated value's shape; validateGenerator checks the length (8-4096) and the charset's name. */
export const generatorInput = z
  .object({
    length: z.number({ error: 'length must be an integer' }).optional(),
    charset: z.string({ error: 'charset must be a string' }).optional(),
  })
  .strict();

/**
 * Lifecycle fields of writes that set a value (store, update, rotate) and of metadata updates: tags,
 * expiry (`expiresAt` or `ttl`; null clears), rotation schedule (`rotateEvery`, null clears; with
 * `rotationGenerator` the service rotates by itself). lifecycleChange checks what they mean.
 */
export const lifecycleInputShape = {
  tags: tagsInput.optional(),
  expiresAt: z.string({ error: 'expiresAt must be an ISO-8601 time or null' }).nullable().optional(),
  ttl: z.string({ error: 'ttl must be a duration such as 90d' }).optional(),
  rotateEvery: z.string({ error: 'rotateEvery must be a duration such as 30d, or null' }).nullable().optional(),
  rotationGenerator: generatorInput.optional(),
};
