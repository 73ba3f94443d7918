import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { dotenvLine } from './dotenv-format.js';
import type { ExportedSecret } from './export-secrets.query.js';

/** The formats `strongroom export` writes and `strongroom import` reads. */
export const EXPORT_FORMATS = ['dotenv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Text values only: environment variables and these text formats cannot carry arbitrary bytes.
 * @throws INVALID_INPUT naming the first binary secret.
 */
export const textValues = (secrets: readonly ExportedSecret[]): Map<string, string> => {
  const out = new Map<string, string>();
  for (const s of secrets) {
    if (s.binary) throw new StrongroomError(ErrorCode.InvalidInput, `${s.name} is a binary value; read it with get-secret instead`);
    const text = s.bytes.toString('utf8');
    // A C string ends at NUL: an environment variable (or a program reading this file) would lose the rest.
    if (text.includes('\0')) throw new StrongroomError(ErrorCode.InvalidInput, `the value of ${s.name} contains a NUL character, which environment variables cannot carry`);
    out.set(s.name, text);
  }
  return out;
};

/**
 * The export document:
 * - `dotenv`: one `VARIABLE='value'` line per variable (named by the rule of environment-variables.ts),
 *   in name order;
 * - `json`: one object of name (the prefix removed) to value, in name order, so that
 *   `import --format json --prefix P` puts every secret back under its own name.
 */
export const formatExport = (
  values: ReadonlyMap<string, string>,
  variables: ReadonlyMap<string, string> | undefined,
  format: ExportFormat,
  prefix = '',
): string => {
  if (format === 'json') {
    const object: Record<string, string> = {};
    for (const [name, value] of values) object[name.startsWith(prefix) ? name.slice(prefix.length) : name] = value;
    return `${JSON.stringify(object, null, 2)}\n`;
  }
  if (!variables) throw new Error('a dotenv export needs variable names');
  return [...variables].map(([variable, name]) => `${dotenvLine(variable, values.get(name) as string, name)}\n`).join('');
};
