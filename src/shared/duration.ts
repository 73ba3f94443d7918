import { ErrorCode, StrongroomError } from './errors.js';

const UNITS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^([1-9]\d{0,6})([smhdw])$/;

/**
 * A duration such as `90d`, `12h`, `30m`, `45s` or `2w`, in milliseconds: a positive whole number and one
 * unit. Hand-written rather than the `ms` package, which also accepts fractions, negative numbers,
 * years and bare numbers: for a token's lifetime or a schedule, anything but this form is a mistake.
 * @throws INVALID_INPUT naming `what`.
 */
export const parseDuration = (text: unknown, what: string): number => {
  const match = typeof text === 'string' ? DURATION.exec(text) : null;
  if (!match) throw new StrongroomError(ErrorCode.InvalidInput, `${what} must be a whole number and a unit, e.g. 90d, 12h, 30m (units: s, m, h, d, w)`);
  return Number(match[1]) * (UNITS[match[2] as string] as number);
};
