import { validateName } from '../../secrets/domain/secret-rules.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';

/**
 * Configuration helpers: secrets referenced from plain config objects. `encrypted:<id>` stands for a
 * whole field; `${{ secrets.NAME }}` may appear inside a longer string, with `secrets` in any case and
 * any white space inside the braces (as the MUXI seed writes them). NAME follows the one name grammar
 * (validateName). Resolution goes through the caller's audited reads, so every value it puts back is
 * recorded as accessed. Anything written as `${{ ... }}` that is not a valid secret reference, or a
 * reference to a secret that does not exist, is an error naming the reference: never passed through.
 */
export const ENCRYPTED_PREFIX = 'encrypted:';
const ENCRYPTED_REF = /^encrypted:([0-9a-f]{32})$/;
/** Any `${{ ... }}` expression; what is inside is checked by `referencedName`. */
const EXPRESSION = /\$\{\{([^}]*)\}\}/g;
const SECRETS_REF = /^\s*secrets\s*\.(.*)$/is;

export type ConfigValue = string | number | boolean | null | ConfigValue[] | { [key: string]: ConfigValue };

export interface ConfigSecrets {
  getById(id: string): Promise<string | null>;
  getByName(name: string): Promise<string | null>;
}

const unresolved = (reference: string): StrongroomError =>
  new StrongroomError(ErrorCode.SecretNotFound, `unresolved secret reference ${reference}`, { reference });

/** Deep copy with every `encrypted:<id>` and `${{ secrets.NAME }}` replaced by its value. */
export const resolveReferences = async <T>(config: T, secrets: ConfigSecrets): Promise<T> => {
  const walk = async (node: unknown): Promise<unknown> => {
    if (typeof node === 'string') return resolveString(node, secrets);
    if (Array.isArray(node)) return Promise.all(node.map(walk));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = await walk(v);
      return out;
    }
    return node;
  };
  return (await walk(config)) as T;
};

const resolveString = async (text: string, secrets: ConfigSecrets): Promise<string> => {
  const whole = ENCRYPTED_REF.exec(text);
  if (whole) {
    const value = await secrets.getById(whole[1] as string);
    if (value === null) throw unresolved(text);
    return value;
  }
  if (text.startsWith(ENCRYPTED_PREFIX)) throw new StrongroomError(ErrorCode.InvalidInput, `malformed secret reference ${text.slice(0, 80)}`);
  const references = [...text.matchAll(EXPRESSION)].map((m) => ({ reference: m[0], name: referencedName(m[0], m[1] as string) }));
  if (references.length === 0) {
    // An opening `${{` without its closing braces is a reference nobody could resolve.
    if (text.includes('${{')) throw new StrongroomError(ErrorCode.InvalidInput, `unterminated secret reference in ${JSON.stringify(text.slice(0, 80))}`);
    return text;
  }
  const values = new Map<string, string>();
  for (const { reference, name } of references) {
    if (values.has(name)) continue;
    const value = await secrets.getByName(name);
    if (value === null) throw unresolved(reference);
    values.set(name, value);
  }
  return text.replace(EXPRESSION, (_, inside: string) => values.get(referencedName('', inside)) as string);
};

/** The secret name a `${{ secrets.NAME }}` expression names. @throws INVALID_INPUT naming the reference. */
const referencedName = (reference: string, inside: string): string => {
  const name = SECRETS_REF.exec(inside)?.[1];
  if (name === undefined) throw new StrongroomError(ErrorCode.InvalidInput, `${reference} is not a secret reference; write \${{ secrets.NAME }}`, { reference });
  try {
    return validateName(name.trim());
  } catch (e) {
    throw new StrongroomError(ErrorCode.InvalidInput, `${reference} does not name a valid secret: ${(e as Error).message}`, { reference });
  }
};

/** Reads a dot path (`database.password`) of a plain object; undefined when absent. */
export const getPath = (config: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), config);

/** Returns a deep copy of `config` with the value at `path` replaced. */
export const setPath = <T>(config: T, path: string, value: unknown): T => {
  const copy = structuredClone(config) as Record<string, unknown>;
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1) as string] = value;
  return copy as T;
};
