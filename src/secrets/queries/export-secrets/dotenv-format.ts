import dotenv from 'dotenv';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';

/**
 * One `NAME='value'` line that `dotenv` (the npm package, v17) reads back as exactly `value`. dotenv has
 * no general escape: single and backtick quotes keep everything literally (newlines included), double
 * quotes turn `\n` and `\r` into line breaks, and CRLF inside any value is folded to LF. So each quoting
 * is tried in turn and kept only if dotenv's own parser returns the value unchanged; a value no quoting
 * can carry is refused rather than written wrongly.
 * @throws INVALID_INPUT naming the secret (never the value) when no quoting round-trips.
 */
export const dotenvLine = (variable: string, value: string, secretName: string): string => {
  const candidates = [`'${value}'`, `"${value}"`, `\`${value}\``, `"${value.replace(/\r/g, '\\r').replace(/\n/g, '\\n')}"`];
  for (const quoted of candidates) {
    const line = `${variable}=${quoted}`;
    if (dotenv.parse(line)[variable] === value) return line;
  }
  throw new StrongroomError(
    ErrorCode.InvalidInput,
    `the value of ${secretName} cannot be written as a dotenv line that reads back exactly (its mix of quotes, backslashes and line breaks); use --format json`,
  );
};
