import type { ConfigValue } from './configuration.js';
import { dispatchOperation } from './manage-secrets.js';
import { SecretManager, type SecretManagerOptions } from './secret-manager.js';

/**
 * Options of the module-level functions: a manager to use, or how to open one (as SecretManager.open
 * takes them). Without `manager` a manager is opened for the call and closed after it; `initialise`
 * defaults to true here, because the seed's functions create their key on first use (pass false to
 * refuse a home that does not exist).
 */
export interface SeedApiOptions extends SecretManagerOptions {
  readonly manager?: SecretManager;
}

const withManager = async <T>(options: SeedApiOptions, work: (manager: SecretManager) => Promise<T>): Promise<T> => {
  if (options.manager) return work(options.manager);
  const { manager: _none, ...open } = options;
  const manager = await SecretManager.open({ initialise: true, ...open });
  try {
    return await work(manager);
  } finally {
    await manager.close();
  }
};

/**
 * The codomyrmex seed's `manage_secrets(operation, **kwargs)`: `store` {name, value, metadata} -> id,
 * `get` {secret_id} -> value or null, `get_by_name` {name}, `list`, `delete` {secret_id} -> boolean,
 * `rotate` -> the new data key's id; and every SecretManager operation by its method name
 * (`storeSecret`, `promoteVersion`, ...). `args` are named (an object, with the seed's snake_case or
 * camelCase names) or positional (an array).
 * @throws UNKNOWN_OPERATION for any other operation; the operation's own errors (INVALID_INPUT, ...).
 */
export const manageSecrets = (operation: string, args: unknown = {}, options: SeedApiOptions = {}): Promise<unknown> =>
  withManager(options, (manager) => dispatchOperation(manager, operation, args));

/**
 * The codomyrmex seed's `encrypt_configuration(config, secret_keys)`: stores each listed field (a
 * top-level key, or a dot path such as `db.password`) that holds a string as a secret named
 * `config/<path>/<random>` and returns a copy of `config` with it replaced by `encrypted:<id>`
 * (resolveConfiguration turns it back). As in the seed, a listed key that is absent or whose value is
 * not a string is left unchanged, without an error; a value already `encrypted:` is left as it is.
 * The input is not modified.
 */
export const encryptConfiguration = <T extends { [key: string]: ConfigValue | undefined }>(config: T, keys: readonly string[], options: SeedApiOptions = {}): Promise<T> =>
  withManager(options, (manager) => manager.encryptConfiguration(config, keys, { nonString: 'keep' }));
