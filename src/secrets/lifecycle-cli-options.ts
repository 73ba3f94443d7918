import { InvalidArgumentError, type Command } from 'commander';
import { collectMetadata, positiveInteger } from '../interfaces/cli/parse-args.js';
import { readValue, type ValueFlags } from '../interfaces/cli/read-value.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';

/** `--generate [--length N] [--charset NAME]`: the service generates the value (never printed unless asked). */
export interface GeneratorFlags {
  readonly generate?: boolean;
  readonly length?: number;
  readonly charset?: string;
}

export const withGeneratorOptions = (verb: Command): Command =>
  verb
    .option('--generate', 'generate a random value instead of reading one (and at each scheduled rotation, with --rotate-every)')
    .option('--length <n>', 'length of a generated value (8-4096, default 32)', positiveInteger)
    .option('--charset <name>', 'characters of a generated value: alphanumeric (default), alpha, numeric, hex, base64url, printable');

/** The generator asked for, or undefined. @throws INVALID_INPUT for --length or --charset without --generate. */
export const generatorFlags = (flags: GeneratorFlags): { length?: number; charset?: string } | undefined => {
  if (flags.generate !== true) {
    if (flags.length !== undefined || flags.charset !== undefined) throw new StrongroomError(ErrorCode.InvalidInput, '--length and --charset go with --generate');
    return undefined;
  }
  return { ...(flags.length !== undefined && { length: flags.length }), ...(flags.charset !== undefined && { charset: flags.charset }) };
};

/**
 * The value of a write from the CLI: generated (then no value may be given), or read as every verb
 * reads one (read-value.ts).
 */
export const valueOrGenerate = async (
  given: string | undefined,
  flags: ValueFlags & GeneratorFlags,
  prompt: string,
  maxBytes: number,
  warn: (text: string) => void,
): Promise<{ value?: string | Uint8Array; generate?: { length?: number; charset?: string } }> => {
  const generate = generatorFlags(flags);
  if (generate === undefined) return { value: await readValue(given, flags, prompt, maxBytes, warn) };
  if (given !== undefined || flags.valueFile !== undefined) throw new StrongroomError(ErrorCode.InvalidInput, 'give a value or --generate, not both');
  return { generate };
};

/** Lifecycle flags of the verbs that write a secret. */
export interface LifecycleFlags {
  readonly tag?: Record<string, string>;
  readonly expiresAt?: string;
  readonly ttl?: string;
  readonly rotateEvery?: string;
  /** `--no-expiry` / `--no-rotation` (update-secret-metadata) set these to false. */
  readonly expiry?: boolean;
  readonly rotation?: boolean;
}

const isoTime = (raw: string): string => {
  if (Number.isNaN(Date.parse(raw)) || !/^\d{4}-\d{2}-\d{2}T/.test(raw)) throw new InvalidArgumentError('expected an ISO-8601 time such as 2027-01-31T00:00:00Z');
  return raw;
};

export const withLifecycleOptions = (verb: Command, options: { clearing?: boolean } = {}): Command => {
  const v = verb
    .option('--tag <key=value>', 'a tag (repeatable; replaces the tags)', collectMetadata)
    .option('--expires-at <time>', 'expire at this ISO-8601 time (reads then answer SECRET_EXPIRED)', isoTime)
    .option('--ttl <duration>', 'expire this long from now: 90d, 12h, 30m, 2w')
    .option('--rotate-every <duration>', 'rotation schedule (e.g. 30d): SecretRotationDue when due, or with --generate a new generated value');
  return options.clearing === true ? v.option('--no-expiry', 'remove the expiry').option('--no-rotation', 'remove the rotation schedule') : v;
};

/** The lifecycle input fields the flags ask for (only those given). */
export const lifecycleFlags = (flags: LifecycleFlags & GeneratorFlags): Record<string, unknown> => {
  const generator = generatorFlags(flags);
  if (flags.expiry === false && (flags.expiresAt !== undefined || flags.ttl !== undefined)) throw new StrongroomError(ErrorCode.InvalidInput, '--no-expiry goes alone');
  if (flags.rotation === false && flags.rotateEvery !== undefined) throw new StrongroomError(ErrorCode.InvalidInput, '--no-rotation goes alone');
  return {
    ...(flags.tag !== undefined && { tags: flags.tag }),
    ...(flags.expiresAt !== undefined && { expiresAt: flags.expiresAt }),
    ...(flags.ttl !== undefined && { ttl: flags.ttl }),
    ...(flags.expiry === false && { expiresAt: null }),
    ...(flags.rotateEvery !== undefined && { rotateEvery: flags.rotateEvery }),
    ...(flags.rotateEvery !== undefined && generator !== undefined && { rotationGenerator: generator }),
    ...(flags.rotation === false && { rotateEvery: null }),
  };
};
