import { encryptConfiguration, manageSecrets, SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { codeOf } from '../support/code-of.js';
import { tempHome } from '../support/temp-home.js';

/**
 * The seeds' API as they have it: codomyrmex's module-level manage_secrets / encrypt_configuration
 * (operation and argument names, opening a manager when none is passed) and MUXI's ${{ secrets.NAME }}.
 */
const quiet = createLogger({ silent: true });

describe("the seeds' API", () => {
  let home: string;
  let cleanup: () => void;
  beforeEach(() => ({ home, cleanup } = tempHome('seed')));
  afterEach(() => cleanup());

  it('manageSecrets opens a manager for the caller and accepts the seed operations with its argument names', async () => {
    const options = { home, logger: quiet, env: { STRONGROOM_LIFECYCLE_INTERVAL_MS: '0' } };
    const id = (await manageSecrets('store', { name: 'seed/db', value: 's3cr3t', metadata: { team: 'core' } }, options)) as string;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(await manageSecrets('get', { secret_id: id }, options)).toBe('s3cr3t');
    expect(await manageSecrets('get_by_name', { name: 'seed/db' }, options)).toBe('s3cr3t');
    expect(await manageSecrets('list', {}, options)).toEqual([expect.objectContaining({ id, name: 'seed/db', metadata: { team: 'core' } })]);
    expect(await manageSecrets('rotate', {}, options)).toMatch(/^[0-9a-f]+$/);
    expect(await manageSecrets('delete', { secret_id: id }, options)).toBe(true);
    expect(await manageSecrets('get', { secret_id: id }, options)).toBeNull();
    expect(await manageSecrets('delete', { secret_id: id }, options)).toBe(false);
    expect(await codeOf(manageSecrets('explode', {}, options))).toBe('UNKNOWN_OPERATION');
    expect(await codeOf(manageSecrets('store', { name: 'seed/x', value: 42 }, options))).toBe('INVALID_INPUT');
    // The method names work too, and an open manager can be passed.
    const manager = await SecretManager.open({ ...options, initialise: false });
    try {
      await manageSecrets('storeSecret', ['seed/other', 'v'], { manager });
      expect(await manageSecrets('getSecretByName', { name: 'seed/other' }, { manager })).toBe('v');
    } finally {
      await manager.close();
    }
  });

  it('encryptConfiguration leaves absent and non-string keys unchanged, as the seed does', async () => {
    const config = { db: { host: 'h', password: 'pw' }, api_key: 'k', port: 5432, flag: null };
    const out = await encryptConfiguration(config, ['api_key', 'db.password', 'port', 'flag', 'missing', 'db.absent'], { home, logger: quiet });
    expect(out.port).toBe(5432);
    expect(out.flag).toBeNull();
    expect(out).not.toHaveProperty('missing');
    expect(out.db.host).toBe('h');
    expect(out.api_key).toMatch(/^encrypted:[0-9a-f]{32}$/);
    expect(out.db.password).toMatch(/^encrypted:[0-9a-f]{32}$/);
    expect(config.api_key).toBe('k');
    const manager = await SecretManager.open({ home, logger: quiet });
    try {
      expect(await manager.resolveConfiguration(out)).toEqual(config);
    } finally {
      await manager.close();
    }
  });

  it('resolves ${{ secrets.NAME }} case-insensitively with flexible white space, as the MUXI seed writes it', async () => {
    const manager = await SecretManager.open({ home, initialise: true, logger: quiet });
    try {
      await manager.storeSecret('db/password', 'pw');
      for (const ref of ['${{ secrets.db/password }}', '${{secrets.db/password}}', '${{   SECRETS.db/password   }}', '${{ Secrets . db/password }}', '${{\tsecrets.db/password\n}}']) {
        expect(await manager.resolveConfiguration({ url: `postgres://app:${ref}@db/app` })).toEqual({ url: 'postgres://app:pw@db/app' });
      }
      // The name itself stays case-sensitive: names are.
      expect(await codeOf(manager.resolveConfiguration({ url: '${{ secrets.DB/PASSWORD }}' }))).toBe('SECRET_NOT_FOUND');
      expect(await codeOf(manager.resolveConfiguration({ url: '${{ vars.db }}' }))).toBe('INVALID_INPUT');
    } finally {
      await manager.close();
    }
  });
});
