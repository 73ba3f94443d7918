import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { tempHome } from '../support/temp-home.js';

/**
 * One secret that cannot be re-encrypted (its ciphertext was damaged in the store) is recorded as
 * SecretReEncryptionFailed and keeps its old key; the rotation goes on for every other secret and
 * completes, and the old data key is not retired because a current version still needs it.
 */
const quiet = createLogger({ silent: true });

describe('key rotation with a secret that cannot be re-encrypted', () => {
  it('records the failure, re-encrypts the rest, and keeps the old key alive', async () => {
    const { home, cleanup } = tempHome('rotation-failure');
    try {
      let m = await SecretManager.open({ home, initialise: true, logger: quiet });
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) ids.push(await m.storeSecret(`svc/${i}`, `value-${i}`));
      const oldKeyId = (await m.listSecrets())[0]?.keyId as string;
      await m.close();

      const broken = ids[3] as string;
      const db = new Database(join(home, 'strongroom.db'));
      const row = db.prepare("SELECT position, data FROM events WHERE type = 'SecretStored' AND data LIKE ?").get(`%${broken}%`) as { position: number; data: string };
      const data = JSON.parse(row.data) as { ciphertext: string };
      const damaged = data.ciphertext.slice(0, 70) + (data.ciphertext[70] === 'x' ? 'y' : 'x') + data.ciphertext.slice(71);
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ ...data, ciphertext: damaged }), row.position);
      db.close();

      m = await SecretManager.open({ home, initialise: false, logger: quiet });
      try {
        const newKeyId = await m.rotateKey();
        const history = await m.getRotationHistory();
        if (history.kind !== 'keys') throw new Error('expected key rotations');
        const [rotation] = history.rotations;
        expect(rotation).toMatchObject({ newKeyId, reEncrypted: 9, retiredKeyIds: [] });
        expect(rotation?.completedAt).not.toBeNull();
        expect(rotation?.failures).toEqual([{ secretId: broken, version: 1, keyId: oldKeyId, reason: 'INTEGRITY_ERROR' }]);
        const keys = new Map((await m.listSecrets()).map((s) => [s.id, s.keyId]));
        for (const id of ids) expect(keys.get(id)).toBe(id === broken ? oldKeyId : newKeyId);
        for (const [i, id] of ids.entries()) if (id !== broken) expect(await m.getSecret(id)).toBe(`value-${i}`);
        await expect(m.getSecret(broken)).rejects.toMatchObject({ code: 'INTEGRITY_ERROR' });
        // The damaged secret can still be given a new value, which goes under the new key.
        await m.rotateSecret(broken, 'replacement');
        expect(await m.getSecret(broken)).toBe('replacement');
        // With nothing current left on it, the next rotation retires the old key.
        await m.rotateKey();
        const after = await m.getRotationHistory();
        expect(after.kind === 'keys' && after.rotations[1]?.retiredKeyIds.includes(oldKeyId)).toBe(true);
      } finally {
        await m.close();
      }
    } finally {
      cleanup();
    }
  });
});
