import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretManager, type StrongroomError } from '../../src/index.js';
import { generateFernetKey } from '../../src/crypto/fernet.js';
import { createLogger } from '../../src/shared/logger.js';
import { tempHome } from '../support/temp-home.js';

const quiet = createLogger({ silent: true });
const openCode = async (home: string, initialise = true): Promise<string> => {
  try {
    const m = await SecretManager.open({ home, initialise, logger: quiet });
    await m.close();
    return 'opened';
  } catch (e) {
    return (e as StrongroomError).code ?? String(e);
  }
};

describe('start-up and keys', () => {
  let home: string;
  let cleanup: () => void;
  beforeEach(() => ({ home, cleanup } = tempHome('startup')));
  afterEach(() => cleanup());

  const seed = async (): Promise<string> => {
    const m = await SecretManager.open({ home, initialise: true, logger: quiet });
    const id = await m.storeSecret('db', 'hunter2');
    await m.close();
    return id;
  };

  it('initialises an empty home with a 0600 master key and API token', async () => {
    await seed();
    for (const file of ['master.key', 'api-token']) expect(statSync(join(home, file)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(home, 'master.key'), 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{43}=$/);
  });

  it('refuses to initialise when asked not to', async () => {
    expect(await openCode(home, false)).toBe('NOT_INITIALISED');
    expect(existsSync(join(home, 'master.key'))).toBe(false);
  });

  it('uses a master key provisioned before initialisation instead of generating one', async () => {
    const key = generateFernetKey();
    writeFileSync(join(home, 'master.key'), key + '\n', { mode: 0o600 });
    await seed();
    expect(readFileSync(join(home, 'master.key'), 'utf8').trim()).toBe(key);
  });

  it('fails clearly when the master key is missing and generates nothing', async () => {
    const id = await seed();
    rmSync(join(home, 'master.key'));
    expect(await openCode(home)).toBe('KEY_UNAVAILABLE');
    expect(existsSync(join(home, 'master.key'))).toBe(false);
    writeFileSync(join(home, 'wrong.key'), '', { mode: 0o600 });
    expect(id).toHaveLength(32);
  });

  it('fails clearly when the master key is the wrong one and leaves it untouched', async () => {
    await seed();
    const wrong = generateFernetKey();
    writeFileSync(join(home, 'master.key'), wrong + '\n', { mode: 0o600 });
    expect(await openCode(home)).toBe('KEY_UNAVAILABLE');
    expect(readFileSync(join(home, 'master.key'), 'utf8').trim()).toBe(wrong);
  });

  it('names the master key file that does not hold a Fernet key (at start-up and at initialisation), never its contents', async () => {
    const opened = async (): Promise<StrongroomError> => {
      try {
        await (await SecretManager.open({ home, initialise: true, logger: quiet })).close();
      } catch (e) {
        return e as StrongroomError;
      }
      throw new Error('expected a refusal');
    };
    const file = join(home, 'master.key');
    const expected = `the master key file ${file} does not hold a valid Fernet key`;
    writeFileSync(file, 'not-a-key-Qx81\n', { mode: 0o600 });
    expect(await opened()).toMatchObject({ code: 'KEY_UNAVAILABLE', message: expect.stringContaining(expected) });
    rmSync(file);
    await seed();
    writeFileSync(file, 'not-a-key-Qx81\n', { mode: 0o600 });
    const refused = await opened();
    expect(refused).toMatchObject({ code: 'KEY_UNAVAILABLE', message: expect.stringContaining(expected) });
    expect(refused.message).not.toContain('Qx81');
  });

  it('refuses a group- or world-readable master key file', async () => {
    await seed();
    chmodSync(join(home, 'master.key'), 0o640);
    expect(await openCode(home)).toBe('KEY_UNAVAILABLE');
    chmodSync(join(home, 'master.key'), 0o604);
    expect(await openCode(home)).toBe('KEY_UNAVAILABLE');
    chmodSync(join(home, 'master.key'), 0o600);
    expect(await openCode(home)).toBe('opened');
  });

  it('refuses a store file that is not ours and does not change it', async () => {
    const junk = Buffer.from('this is not a database, just some bytes '.repeat(100));
    writeFileSync(join(home, 'strongroom.db'), junk, { mode: 0o600 }); // private, so that only its contents are refused
    expect(await openCode(home)).toBe('NOT_A_STRONGROOM_STORE');
    expect(readFileSync(join(home, 'strongroom.db')).equals(junk)).toBe(true);
    expect(existsSync(join(home, 'master.key'))).toBe(false);
  });

  it('never writes a value or a key into the store file or the logs', async () => {
    await seed();
    const db = readFileSync(join(home, 'strongroom.db')).toString('latin1');
    const wal = existsSync(join(home, 'strongroom.db-wal')) ? readFileSync(join(home, 'strongroom.db-wal')).toString('latin1') : '';
    const key = readFileSync(join(home, 'master.key'), 'utf8').trim();
    for (const text of [db, wal]) {
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain(key);
    }
  });

  it('several processes initialising one empty store at once agree on one master key and one keyring', async () => {
    const managers = await Promise.all(Array.from({ length: 3 }, () => SecretManager.open({ home, initialise: true, logger: quiet })));
    try {
      const id = (await managers[0]?.storeSecret('shared', 'first')) as string;
      const written = await managers[0]?.updateSecret(id, 'one-keyring');
      // Each reads through its own connection, after catching up to the write (read-your-writes).
      for (const m of managers) expect(await m.getSecret(id, { minPosition: written?.position ?? 0 })).toBe('one-keyring');
      expect(readFileSync(join(home, 'master.key'), 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{43}=$/);
      expect(readdirSync(home).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      for (const m of managers) await m.close();
    }
    const history = await SecretManager.open({ home, logger: quiet });
    try {
      expect((await history.verifyAuditLog()).ok).toBe(true);
      const keyEvents = (await history.getAuditTrail()).filter((e) => e.stream === 'keys');
      expect(keyEvents.map((e) => e.type)).toEqual(['AuditKeyCreated', 'DataKeyCreated']);
    } finally {
      await history.close();
    }
  });
});
