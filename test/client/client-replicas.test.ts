import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StrongroomClient } from '../../src/client/index.js';
import { ReplicaProcess } from '../replicas/replica-process.js';
import { dropSchema, freshSchemaName, testPostgresUrl, withSchema } from '../support/pg-test-db.js';
import { tempHome } from '../support/temp-home.js';
import { RoundRobinProxy } from './http-proxy.js';

/**
 * Read-your-writes handled for the caller: two `strongroom serve` replicas on one PostgreSQL store
 * behind a round-robin proxy, so every write lands on one replica and the next read on the other. The
 * client passes its last write's position back with each call, so every read sees the write before it.
 */
const BIN = fileURLToPath(new URL('../../bin/strongroom.js', import.meta.url));

describe('StrongroomClient across two replicas', () => {
  let home: string;
  let cleanup: () => void;
  let base: string;
  let schema: string;
  let replicas: ReplicaProcess[] = [];
  let proxy: RoundRobinProxy;
  let token: string;

  beforeAll(async () => {
    ({ home, cleanup } = tempHome('sdk-replicas'));
    base = await testPostgresUrl();
    schema = freshSchemaName();
    const store = withSchema(base, schema);
    execFileSync(process.execPath, [BIN, '--home', home, '--store', store, 'init', '--json'], { stdio: 'pipe' });
    token = readFileSync(join(home, 'api-token'), 'utf8').trim();
    replicas = await Promise.all([ReplicaProcess.start(home, store, { STRONGROOM_READ_WAIT_MS: '5000' }), ReplicaProcess.start(home, store, { STRONGROOM_READ_WAIT_MS: '5000' })]);
    proxy = await RoundRobinProxy.start(replicas.map((r) => r.url));
  }, 90_000);

  afterAll(async () => {
    await proxy?.close();
    await Promise.all(replicas.map((r) => r.stop()));
    await dropSchema(base, schema).catch(() => undefined);
    cleanup?.();
  }, 30_000);

  it('reads every write it made, whichever replica answers, by sending its last write position', async () => {
    const client = new StrongroomClient({ url: proxy.url, token });
    for (let i = 0; i < 15; i++) {
      await client.storeSecret(`ryw/${i}`, `v${i}`);
      expect(await client.getSecretByName(`ryw/${i}`)).toBe(`v${i}`);
      await client.updateSecret(`ryw/${i}`, `v${i}-2`);
      expect(await client.getSecretByName(`ryw/${i}`)).toBe(`v${i}-2`);
      // Five requests per round, so the next round's writes land on the other replica.
      expect(await client.getSecretByName(`ryw/${i}`)).toBe(`v${i}-2`);
    }
    const reads = proxy.seen.filter((r) => r.method === 'GET');
    // Both replicas answered reads, and every read carried the position of the write before it.
    expect(new Set(reads.map((r) => r.upstream))).toEqual(new Set([0, 1]));
    expect(reads.every((r) => Number(r.headers['x-strongroom-min-position']) > 0)).toBe(true);
  }, 120_000);
});
