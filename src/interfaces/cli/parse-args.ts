import { InvalidArgumentError } from 'commander';

/**
 * Commander argument parsers. They throw InvalidArgumentError, which commander reports as a usage error
 * (exit 2). Only the shape is checked here; the commands validate meaning, as for every interface.
 */

export const positiveInteger = (raw: string): number => {
  if (!/^[1-9]\d*$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw new InvalidArgumentError('expected a positive integer');
  return Number(raw);
};

export const nonNegativeInteger = (raw: string): number => {
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw new InvalidArgumentError('expected a non-negative integer');
  return Number(raw);
};

/** `--metadata key=value`, repeatable; values stay strings (the shell has no types to offer). */
export const collectMetadata = (raw: string, previous: Record<string, string> = {}): Record<string, string> => {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('expected key=value');
  return { ...previous, [raw.slice(0, eq)]: raw.slice(eq + 1) };
};

/** `--checkpoint POSITION:HASH`, as `strongroom audit checkpoint` prints it. */
export const checkpoint = (raw: string): { position: number; hash: string } => {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(raw);
  if (!match) throw new InvalidArgumentError('expected POSITION:HASH as printed by `strongroom audit checkpoint`');
  return { position: Number(match[1]), hash: match[2] as string };
};

/** A repeatable option collected into a list (`--policy a --policy b`). */
export const collectList = (raw: string, previous: string[] = []): string[] => [...previous, raw];
