import { ErrorCode, StrongroomError } from '../../shared/errors.js';

/**
 * How secret names become environment-variable names (for `strongroom run` and dotenv export). One
 * documented rule (README, "Secrets into programs"):
 *   1. the prefix, if one was given, is removed from the front of the name, then any leading `/`;
 *   2. ASCII letters are upper-cased, and every character outside `[A-Z0-9_]` (`/`, `-`, `.`, `@`) becomes `_`;
 *   3. a name that would start with a digit gets a leading `_`.
 * So `payments/db-password` with prefix `payments/` is `DB_PASSWORD`. Two secrets that map to the same
 * variable are refused, never resolved by picking one.
 */
export const variableNameFor = (name: string, prefix = ''): string => {
  const rest = (name.startsWith(prefix) ? name.slice(prefix.length) : name).replace(/^\/+/, '');
  if (rest === '') {
    throw new StrongroomError(ErrorCode.InvalidInput, `secret ${name} leaves no variable name once the prefix ${prefix} is removed`);
  }
  const mapped = rest.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return /^[0-9]/.test(mapped) ? `_${mapped}` : mapped;
};

/** A POSIX portable environment-variable name (IEEE Std 1003.1, 8.1): letters, digits, `_`, not starting with a digit. */
export const isVariableName = (candidate: string): boolean => /^[A-Za-z_][A-Za-z0-9_]*$/.test(candidate);

/**
 * Variable name for each secret name, by the rule above.
 * @returns a map from variable name to secret name, in the order given.
 * @throws INVALID_INPUT naming both secrets when two map to the same variable.
 */
export const assignVariables = (names: readonly string[], prefix = ''): Map<string, string> => {
  const out = new Map<string, string>();
  for (const name of names) {
    const variable = variableNameFor(name, prefix);
    const taken = out.get(variable);
    if (taken !== undefined) {
      throw new StrongroomError(
        ErrorCode.InvalidInput,
        `secrets ${taken} and ${name} both map to the variable ${variable}; rename one, or give an explicit mapping with --map`,
        { variable },
      );
    }
    out.set(variable, name);
  }
  return out;
};

/**
 * An explicit mapping (`--map FILE`: a JSON object of variable name to secret name), checked.
 * @throws INVALID_INPUT when it is not an object of strings, or a key is not a portable variable name.
 */
export const explicitVariables = (mapping: unknown): Map<string, string> => {
  if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
    throw new StrongroomError(ErrorCode.InvalidInput, 'the mapping must be a JSON object of variable name to secret name');
  }
  const out = new Map<string, string>();
  for (const [variable, name] of Object.entries(mapping)) {
    if (!isVariableName(variable)) {
      throw new StrongroomError(ErrorCode.InvalidInput, `${JSON.stringify(variable.slice(0, 64))} is not a valid variable name (letters, digits and _, not starting with a digit)`);
    }
    if (typeof name !== 'string' || name === '') {
      throw new StrongroomError(ErrorCode.InvalidInput, `the mapping of ${variable} must be a secret name (a string)`);
    }
    out.set(variable, name);
  }
  if (out.size === 0) throw new StrongroomError(ErrorCode.InvalidInput, 'the mapping names no variables');
  return out;
};
