import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ThrowawayCluster } from '../support/pg-cluster.js';
import { tempHome } from '../support/temp-home.js';
import { call, ReplicaProcess } from './replica-process.js';

/**
 * The database goes away mid-load and comes back: a real server on a throwaway PostgreSQL cluster of
 * its own (never the shared one). While it is down, writes and audited reads answer 503 quickly; once
 * it is back they succeed again without restarting Strongroom, and every write that was acknowledged
 * (201) is still there and reads back.
 */
const BIN = fileURLToPath(new URL('../../bin/strongroom.js', import.meta.url));

describe('PostgreSQL outage under load', () => {
  it('answers 503 while the database is down, recovers by itself, and loses no acknowledged write', async () => {
    const cluster = await ThrowawayCluster.create();
    const { home, cleanup } = tempHome('outage');
    let server: ReplicaProcess | null = null;
    try {
      const store = cluster.url('strongroom');
      execFileSync(process.execPath, [BIN, '--home', home, '--store', store, 'init', '--json'], { stdio: 'pipe' });
      const token = readFileSync(join(home, 'api-token'), 'utf8').trim();
      server = await ReplicaProcess.start(home, store, { STRONGROOM_READ_WAIT_MS: '1000' });
      const url = server.url;

      const acknowledged = new Map<string, string>();
      const statuses = new Map<number, number>();
      let phase: 'load' | 'stop' = 'load';
      let n = 0;
      const worker = async (): Promise<void> => {
        while (phase === 'load') {
          const i = n++;
          const name = `load/${i}`;
          let status: number;
          try {
            const r = await call(url, token, 'POST', '/v1/secrets', { name, value: `v-${i}` });
            status = r.status;
          } catch {
            status = -1; // connection refused or reset: not acknowledged
          }
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === 201) acknowledged.set(name, `v-${i}`);
          if (status !== 201) await new Promise((r) => setTimeout(r, 20));
        }
      };
      const workers = Array.from({ length: 8 }, worker);
      await new Promise((r) => setTimeout(r, 1500));
      const beforeOutage = acknowledged.size;
      await cluster.stop('immediate');
      const down = Date.now();
      // While it is down: a write and a read fail fast with 503, never hang.
      const t0 = Date.now();
      const write = await call(url, token, 'POST', '/v1/secrets', { name: 'during/outage', value: 'x' });
      expect(write.status).toBe(503);
      const read = await call(url, token, 'GET', '/v1/secrets/load/0');
      expect(read.status).toBe(503);
      // Readiness says why, without a token and without a log position; liveness stays up.
      const notReady = await fetch(`${url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({ status: 'not ready', checks: { store: 'unavailable', keys: 'ok', projection: 'behind', checkpoints: 'unknown' } });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(JSON.stringify(read.body)).not.toContain('v-0');
      expect(Date.now() - t0).toBeLessThan(15_000);
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - down))));
      await cluster.start();
      // Recovery without a restart of Strongroom: wait for new acknowledgements.
      const afterRestart = acknowledged.size;
      const deadline = Date.now() + 30_000;
      while (acknowledged.size < afterRestart + 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      phase = 'stop';
      await Promise.all(workers);

      expect(await (await fetch(`${url}/readyz`)).json()).toMatchObject({ status: 'ready' });
      expect(beforeOutage).toBeGreaterThan(0);
      expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
      expect(acknowledged.size).toBeGreaterThanOrEqual(afterRestart + 50);
      for (const [name, value] of acknowledged) {
        const r = await call(url, token, 'GET', `/v1/secrets/${name}`);
        expect({ name, status: r.status, value: r.body?.value }).toEqual({ name, status: 200, value });
      }
      expect((await call(url, token, 'GET', '/v1/audit/verify')).body).toMatchObject({ ok: true });
      expect(server.stderr).not.toContain('v-1');
    } finally {
      await server?.stop();
      await cluster.destroy();
      cleanup();
    }
  }, 120_000);
});
