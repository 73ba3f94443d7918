import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { SecretManager } from './secret-manager.js';

type Operation = (m: SecretManager, args: readonly unknown[], named: Record<string, unknown>) => Promise<unknown>;

const s = (v: unknown): string => v as string;

/** The first of several spellings of a named argument that is present (camelCase and the seed's snake_case). */
const pick = (named: Record<string, unknown>, ...names: string[]): unknown => {
  for (const n of names) if (named[n] !== undefined) return named[n];
  return undefined;
};

/**
 * `manageSecrets(operation, args)`: the library methods by name, with positional (`[name, value]`) or
 * named (`{ name, value }`) arguments. Type checks stay in the commands, so bad arguments get the same
 * INVALID_INPUT errors as a direct call.
 *
 * The codomyrmex seed's operations are accepted too, with its argument names (`secret_id`, `name`,
 * `value`, `metadata`) and its meanings: `store` (-> the new id), `get` (by `secret_id` -> the value or
 * null), `get_by_name`, `list`, `delete` (by `secret_id` -> true/false), `rotate` (the data key ->
 * the new key id, as the seed's rotate_key).
 */
const OPERATIONS: Readonly<Record<string, Operation>> = {
  storeSecret: (m, a, n) => m.storeSecret(s(a[0] ?? n.name), s(a[1] ?? n.value), (a[2] ?? n.metadata) as Record<string, string>),
  getSecret: (m, a, n) => m.getSecret(s(a[0] ?? pick(n, 'id', 'secret_id', 'secretId'))),
  getSecretByName: (m, a, n) => m.getSecretByName(s(a[0] ?? n.name)),
  listSecrets: (m) => m.listSecrets(),
  deleteSecret: (m, a, n) => m.deleteSecret(s(a[0] ?? pick(n, 'id', 'secret_id', 'secretId'))),
  rotateKey: (m) => m.rotateKey(),
  rotateSecret: (m, a, n) => m.rotateSecret(s(a[0] ?? n.name), s(a[1] ?? n.newValue ?? n.value)),
  getRotationHistory: (m, a, n) => m.getRotationHistory((a[0] ?? n.name) as string | undefined),
  checkKeyAge: (m, a, n) => m.checkKeyAge(s(a[0] ?? n.name), (a[1] ?? n.maxAgeDays) as number),
  restoreSecret: (m, a, n) => m.restoreSecret(s(a[0] ?? pick(n, 'ref', 'id', 'secret_id', 'name'))),
  promoteVersion: (m, a, n) => m.promoteVersion(s(a[0] ?? pick(n, 'ref', 'name', 'secret_id')), (a[1] ?? n.version) as number, { ...(n.stage !== undefined && { stage: s(n.stage) }) }),
  getRotationStatus: (m) => m.getRotationStatus(),
};

/** The codomyrmex seed's operation names, as aliases of the methods above. */
const SEED_OPERATIONS: Readonly<Record<string, string>> = {
  store: 'storeSecret',
  get: 'getSecret',
  get_by_name: 'getSecretByName',
  list: 'listSecrets',
  delete: 'deleteSecret',
  rotate: 'rotateKey',
};

export const OPERATION_NAMES = [...Object.keys(OPERATIONS), ...Object.keys(SEED_OPERATIONS)];

export const dispatchOperation = (manager: SecretManager, operation: string, args: unknown): Promise<unknown> => {
  const name = typeof operation === 'string' && Object.hasOwn(SEED_OPERATIONS, operation) ? (SEED_OPERATIONS[operation] as string) : operation;
  const op = typeof name === 'string' && Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
  if (!op) {
    return Promise.reject(
      new StrongroomError(ErrorCode.UnknownOperation, `unknown operation ${JSON.stringify(String(operation)).slice(0, 80)}; expected one of ${OPERATION_NAMES.join(', ')}`),
    );
  }
  const positional = Array.isArray(args) ? args : [];
  const named = !Array.isArray(args) && args !== null && typeof args === 'object' ? (args as Record<string, unknown>) : {};
  return op(manager, positional, named);
};
