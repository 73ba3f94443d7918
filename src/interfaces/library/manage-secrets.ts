import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { SecretManager } from './secret-manager.js';

type Operation = (m: SecretManager, args: readonly unknown[], named: Record<string, unknown>) => Promise<unknown>;

const s = (v: unknown): string => v as string;

/**
 * `manageSecrets(operation, args)`: the library methods by name, with positional (`[name, value]`) or
 * named (`{ name, value }`) arguments. Type checks stay in the commands, so bad arguments get the same
 * INVALID_INPUT errors as a direct call.
 */
const OPERATIONS: Readonly<Record<string, Operation>> = {
  storeSecret: (m, a, n) => m.storeSecret(s(a[0] ?? n.name), s(a[1] ?? n.value), (a[2] ?? n.metadata) as Record<string, string>),
  getSecret: (m, a, n) => m.getSecret(s(a[0] ?? n.id)),
  getSecretByName: (m, a, n) => m.getSecretByName(s(a[0] ?? n.name)),
  listSecrets: (m) => m.listSecrets(),
  deleteSecret: (m, a, n) => m.deleteSecret(s(a[0] ?? n.id)),
  rotateKey: (m) => m.rotateKey(),
  rotateSecret: (m, a, n) => m.rotateSecret(s(a[0] ?? n.name), s(a[1] ?? n.newValue ?? n.value)),
  getRotationHistory: (m, a, n) => m.getRotationHistory((a[0] ?? n.name) as string | undefined),
  checkKeyAge: (m, a, n) => m.checkKeyAge(s(a[0] ?? n.name), (a[1] ?? n.maxAgeDays) as number),
};

export const OPERATION_NAMES = Object.keys(OPERATIONS);

export const dispatchOperation = (manager: SecretManager, operation: string, args: unknown): Promise<unknown> => {
  const op = typeof operation === 'string' && Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
  if (!op) {
    return Promise.reject(
      new StrongroomError(ErrorCode.UnknownOperation, `unknown operation ${JSON.stringify(String(operation)).slice(0, 80)}; expected one of ${OPERATION_NAMES.join(', ')}`),
    );
  }
  const positional = Array.isArray(args) ? args : [];
  const named = !Array.isArray(args) && args !== null && typeof args === 'object' ? (args as Record<string, unknown>) : {};
  return op(manager, positional, named);
};
