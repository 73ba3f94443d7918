import { Strongroom } from '../../src/bootstrap/strongroom.js';
import { resolveOptions } from '../../src/config/options.js';
import { RotateKey } from '../../src/keys/commands/rotate-key/rotate-key.use-case.js';
import { RotateMasterKey } from '../../src/keys/commands/rotate-master-key/rotate-master-key.use-case.js';
import { StoreSecret } from '../../src/secrets/commands/store-secret/store-secret.use-case.js';
import { UpdateSecret } from '../../src/secrets/commands/update-secret/update-secret.use-case.js';
import { GetSecret } from '../../src/secrets/queries/get-secret/get-secret.use-case.js';
import { slotStream } from '../../src/secrets/secret-streams.js';
import { createLogger } from '../../src/shared/logger.js';
import { tempHome } from '../support/temp-home.js';

const open = (home: string): Promise<Strongroom> =>
  Strongroom.open(resolveOptions({ env: {}, home }), { initialiseIfEmpty: true, interface: 'library', logger: createLogger({ silent: true }) });

/**
 * A replica that had not yet seen a key rotation start can write under the old data key just before
 * the rotation retires it. A later master-key rotation must rewrap that retired key too, or the
 * secret written by the lagging replica would be crypto-shredded with the old master key.
 */
describe('master-key rotation and a retired key still in use', () => {
  it('rewraps it, so the secret stays readable under the new master key', async () => {
    const { home, cleanup } = tempHome('master-late');
    try {
      let s = await open(home);
      const { id } = await s.execute(StoreSecret, { name: 'late', value: 'first' });
      const oldKeyId = s.runtime.projection.liveById(id)?.keyId as string;
      const rotation = await s.execute(RotateKey, {});
      expect(rotation.retiredKeyIds).toEqual([oldKeyId]);

      // The lagging replica's write: a new version encrypted under the retired key.
      await s.execute(UpdateSecret, { ref: id, value: 'written-late' });
      const live = s.runtime.projection.liveById(id);
      if (!live) throw new Error('secret missing');
      const ciphertext = s.runtime.keyring.reEncrypt(live.ciphertext, live.keyId, oldKeyId, 'default');
      const stream = slotStream('default', 'late');
      const { position } = await s.runtime.store.appendToStream(
        stream,
        [
          {
            type: 'SecretUpdated',
            schemaVersion: 1,
            data: { secretId: id, version: live.version + 1, ciphertext, keyId: oldKeyId },
            metadata: { actor: 'replica-b', interface: 'http', correlationId: 'late', occurredAt: new Date().toISOString() },
          },
        ],
        { expectedRevision: s.runtime.projection.slotOfStream(stream).revision },
      );
      await s.runtime.projection.waitFor(position, 5_000);

      const result = await s.execute(RotateMasterKey, {});
      expect(result.rewrapped).toBe(3); // the audit key, the live data key and the retired one in use
      await s.close();

      s = await open(home);
      const read = await s.execute(GetSecret, { ref: id });
      expect(read).toMatchObject({ version: 3 });
      expect(read.bytes.toString('utf8')).toBe('written-late');
      await s.close();
    } finally {
      cleanup();
    }
  });
});
