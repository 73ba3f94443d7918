import { Strongroom } from '../../src/app/strongroom.js';
import { resolveOptions } from '../../src/config/options.js';
import { RotateKeyCommand } from '../../src/keys/commands/rotate-key/rotate-key.command.js';
import { RotateMasterKeyCommand } from '../../src/keys/commands/rotate-master-key/rotate-master-key.command.js';
import { StoreSecretCommand } from '../../src/secrets/commands/store-secret/store-secret.command.js';
import { UpdateSecretCommand } from '../../src/secrets/commands/update-secret/update-secret.command.js';
import { GetSecretQuery } from '../../src/secrets/queries/get-secret/get-secret.query.js';
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
      const ctx = s.context('t');
      const { id } = await s.commandBus.execute(new StoreSecretCommand({ name: 'late', value: 'first' }, ctx));
      const oldKeyId = s.runtime.projection.liveById(id)?.keyId as string;
      const rotation = await s.commandBus.execute(new RotateKeyCommand(ctx));
      expect(rotation.retiredKeyIds).toEqual([oldKeyId]);

      // The lagging replica's write: a new version encrypted under the retired key.
      await s.commandBus.execute(new UpdateSecretCommand({ ref: id, value: 'written-late' }, ctx));
      const live = s.runtime.projection.liveById(id);
      if (!live) throw new Error('secret missing');
      const ciphertext = s.runtime.keyring.reEncrypt(live.ciphertext, live.keyId, oldKeyId);
      const stream = slotStream('late');
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

      const result = await s.commandBus.execute(new RotateMasterKeyCommand(ctx));
      expect(result.rewrapped).toBe(3); // the audit key, the live data key and the retired one in use
      await s.close();

      s = await open(home);
      const read = await s.queryBus.execute(new GetSecretQuery({ ref: id }, s.context('t')));
      expect(read).toMatchObject({ value: 'written-late', version: 3 });
      await s.close();
    } finally {
      cleanup();
    }
  });
});
