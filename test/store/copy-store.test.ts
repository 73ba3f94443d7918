import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretManager, type StrongroomError } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { dropSchema, freshSchemaName, testPostgresUrl, withSchema } from '../support/pg-test-db.js';
import { tempHome } from '../support/temp-home.js';

const quiet = createLogger({ silent: true });

/** Growing from one store to another: the copy keeps order, ids and hashes, verifies, and reads the same. */
describe('store copy', () => {
  it('copies the whole log to a new SQLite store that verifies and reads back identically', async () => {
    const source = tempHome('copy-src');
    const target = tempHome('copy-dst');
    const to = `sqlite:${join(target.home, 'strongroom.db')}`;
    try {
      const m = await SecretManager.open({ home: source.home, initialise: true, logger: quiet });
      const values = new Map<string, string>();
      for (let i = 0; i < 40; i++) values.set(await m.storeSecret(`svc/${i}`, `value-${i}`), `value-${i}`);
      await m.rotateKey();
      await m.rotateSecret('svc/1', 'value-1b');
      values.set((await m.listSecrets()).find((s) => s.name === 'svc/1')?.id as string, 'value-1b');
      const progress: number[] = [];
      const result = await m.copyStore(to, { onProgress: (p) => progress.push(p.copied) });
      const sourceHead = (await m.verifyAuditLog()).head;
      expect(result.head).toEqual(sourceHead);
      expect(progress.at(-1)).toBe(sourceHead?.position);
      // Copying again into the same, complete target adds nothing; into a foreign store is refused.
      expect((await m.copyStore(to)).copied).toBe(0);
      // Reading the trail is itself recorded (after the read), so the copy holds every entry read here.
      const sourceAudit = await m.getAuditTrail({ limit: 10_000 });
      await m.close();

      copyFileSync(join(source.home, 'master.key'), join(target.home, 'master.key'));
      const copy = await SecretManager.open({ home: target.home, store: to, initialise: false, logger: quiet });
      try {
        expect((await copy.verifyAuditLog()).head).toEqual(sourceHead);
        expect((await copy.getAuditTrail({ limit: 10_000 })).slice(0, sourceAudit.length)).toEqual(sourceAudit);
        for (const [id, value] of values) expect(await copy.getSecret(id)).toBe(value);
        const other = tempHome('copy-other');
        try {
          const foreign = await SecretManager.open({ home: other.home, initialise: true, logger: quiet });
          await foreign.storeSecret('x', 'y');
          await foreign.close();
          const error = await copy.copyStore(`sqlite:${join(other.home, 'strongroom.db')}`).catch((e: StrongroomError) => e);
          expect(error).toMatchObject({ code: 'ALREADY_INITIALISED' });
        } finally {
          other.cleanup();
        }
      } finally {
        await copy.close();
      }
    } finally {
      source.cleanup();
      target.cleanup();
    }
  });

  it('grows from the embedded store to PostgreSQL: the copy verifies and serves the same secrets', async () => {
    const source = tempHome('copy-pg-src');
    const replica = tempHome('copy-pg-home');
    const base = await testPostgresUrl();
    const schema = freshSchemaName();
    const to = withSchema(base, schema);
    try {
      const m = await SecretManager.open({ home: source.home, initialise: true, logger: quiet });
      const ids = new Map<string, string>();
      for (let i = 0; i < 25; i++) ids.set(await m.storeSecret(`pg/${i}`, `pg-value-${i}`), `pg-value-${i}`);
      await m.getSecret([...ids.keys()][0] as string);
      await m.rotateKey();
      const { head } = await m.copyStore(to);
      await m.close();

      copyFileSync(join(source.home, 'master.key'), join(replica.home, 'master.key'));
      const onPg = await SecretManager.open({ home: replica.home, store: to, initialise: false, logger: quiet });
      try {
        expect((await onPg.verifyAuditLog()).head).toEqual(head);
        for (const [id, value] of ids) expect(await onPg.getSecret(id)).toBe(value);
        // The copy is a live store: new writes continue the chain.
        await onPg.storeSecret('pg/new', 'after-copy');
        expect((await onPg.verifyAuditLog()).ok).toBe(true);
      } finally {
        await onPg.close();
      }
    } finally {
      await dropSchema(base, schema).catch(() => undefined);
      source.cleanup();
      replica.cleanup();
    }
  });
});
