import Database from 'better-sqlite3';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { Strongroom } from '../../src/bootstrap/strongroom.js';
import { mergeReplay, type ReplayPartial } from '../../src/compliance/policy-replay.js';
import { inWorkers, rangesOf, workerScriptExists } from '../../src/compliance/range-workers.js';
import type { ReplayWorkerInit } from '../../src/compliance/replay-range.worker.js';
import type { ReportWorkerInit } from '../../src/compliance/report-range.worker.js';
import { reportText, type FoldedRange } from '../../src/compliance/report-text.js';
import type { ReportFormat } from '../../src/compliance/queries/get-access-report/report-format.js';
import { resolveOptions } from '../../src/config/options.js';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { assertBuilt, runCli } from '../cli/run-cli.js';
import { serveHome } from '../http/http-harness.js';
import { failure } from '../support/code-of.js';
import { dropSchema, freshSchemaName, testPostgresUrl, withSchema } from '../support/pg-test-db.js';
import { tempHome } from '../support/temp-home.js';

/**
 * Issue 9, fault B: a report, a replay and an export are evidence, so none of them certifies a log with
 * a hole. Positions are contiguous by design on every adapter (src/event-store/contiguous-positions.ts),
 * so a missing one is a deleted row: each fails with LOG_GAP naming the positions, on this thread and
 * when worker threads fold ranges (a hole at a range's end and at its start), before writing anything
 * when the hole is in the first page. Real stores: a SQLite copy with a row deleted, and PostgreSQL.
 */
const quiet = createLogger({ silent: true });
const REPORT_WORKER = new URL('../../dist/compliance/report-range.worker.js', import.meta.url);
const REPLAY_WORKER = new URL('../../dist/compliance/replay-range.worker.js', import.meta.url);
const HOLE = 21;
const GAP = { code: 'LOG_GAP', message: `the log has a gap: positions ${HOLE}..${HOLE} missing; run strongroom audit verify` };

const joined = async (chunks: AsyncIterable<string>, seen: string[] = []): Promise<string> => {
  for await (const c of chunks) seen.push(c);
  return seen.join('');
};

describe.each(['sqlite', 'postgres'] as const)('a log with a hole (%s)', (backend) => {
  let root: string;
  let cleanup: () => void;
  let intact: { home: string; store?: string };
  let holed: { home: string; store?: string };
  let base: string;
  const schemas: string[] = [];

  /** A store made by the library: secrets stored and read, so reports have rows and replay has actions. */
  const makeStore = async (home: string, store?: string): Promise<void> => {
    const m = await SecretManager.open({ home, ...(store !== undefined && { store }), initialise: true, logger: quiet, actor: 'alice' });
    try {
      for (let i = 0; i < 12; i++) await m.getSecret(await m.storeSecret(`app/s${i}`, `value-${i}`));
    } finally {
      await m.close();
    }
  };

  beforeAll(async () => {
    assertBuilt();
    expect(workerScriptExists(REPORT_WORKER) && workerScriptExists(REPLAY_WORKER)).toBe(true);
    ({ home: root, cleanup } = tempHome('log-gap'));
    intact = { home: join(root, 'intact') };
    if (backend === 'sqlite') {
      await makeStore(intact.home);
      // A copy of the store file with one row deleted, as someone with file access would.
      holed = { home: join(root, 'holed') };
      cpSync(intact.home, holed.home, { recursive: true });
      const db = new Database(join(holed.home, 'strongroom.db'));
      db.prepare('DELETE FROM events WHERE position = ?').run(HOLE);
      db.close();
    } else {
      base = await testPostgresUrl();
      const [a, b] = [freshSchemaName(), freshSchemaName()];
      schemas.push(a, b);
      intact.store = withSchema(base, a);
      holed = { home: join(root, 'holed'), store: withSchema(base, b) };
      await makeStore(intact.home, intact.store);
      await makeStore(holed.home, holed.store);
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        expect((await client.query(`DELETE FROM "${b}".events WHERE position = $1`, [HOLE])).rowCount).toBe(1);
      } finally {
        await client.end();
      }
    }
  });
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(base, schema);
    cleanup?.();
  });

  const open = (at: { home: string; store?: string }) => SecretManager.open({ home: at.home, ...(at.store !== undefined && { store: at.store }), logger: quiet });

  it('an intact log replays and reports as before', async () => {
    const m = await open(intact);
    try {
      expect(await m.replayPolicies()).toMatchObject({ findingsTotal: 0, checked: 24 });
      const report = await m.accessReport();
      expect((await joined(report.lines('json'))).split('\n').filter((l) => l.startsWith('{"kind":"read"')).length).toBe(12);
    } finally {
      await m.close();
    }
  });

  it('replay fails with LOG_GAP instead of finding nothing', async () => {
    const m = await open(holed);
    try {
      expect(await failure(m.replayPolicies())).toEqual(GAP);
      // A window ending before the hole reads no further than its end: nothing missing there.
      expect(await m.replayPolicies({ to: HOLE - 1 })).toMatchObject({ findingsTotal: 0, head: HOLE - 1 });
    } finally {
      await m.close();
    }
  });

  it('the report fails in every format before writing anything (the hole is in its first page), rows too', async () => {
    const m = await open(holed);
    try {
      for (const format of ['table', 'csv', 'json'] as ReportFormat[]) {
        const seen: string[] = [];
        expect(await failure(joined((await m.accessReport()).lines(format), seen))).toEqual(GAP);
        expect(seen).toEqual([]);
      }
      const rows = async (): Promise<void> => {
        for await (const _row of (await m.accessReport()).rows);
      };
      expect(await failure(rows())).toEqual(GAP);
      // From a position after the hole, the report covers only positions that are all there.
      expect(await joined((await m.accessReport({ from: HOLE + 1 })).lines('json'))).toContain('"kind":"read"');
    } finally {
      await m.close();
    }
  });

  it('the export refuses the hole, and no checkpoint is signed over it', async () => {
    const m = await open(holed);
    try {
      const pages = async (): Promise<void> => {
        for await (const _page of (await m.exportAuditLog()).pages);
      };
      expect(await failure(pages())).toEqual(GAP);
      expect(await failure(m.signCheckpoint())).toEqual(GAP);
    } finally {
      await m.close();
    }
  });

  it('worker threads find the hole at the end of a range and at the start of one, for the report and the replay', async () => {
    const s = await Strongroom.open(resolveOptions({ env: {}, home: holed.home, ...(holed.store !== undefined && { store: holed.store }) }), {
      initialiseIfEmpty: false,
      interface: 'library',
      logger: quiet,
    });
    try {
      const head = await s.runtime.store.headPosition();
      const url = s.options.store;
      const inventory = () => ({ secrets: [], tokens: [] });
      // Ranges of 3 end at 21 (the hole is the range's last position); ranges of 4 start at 21.
      for (const size of [3, 4]) {
        expect(rangesOf(0, head, size).some((r) => (size === 3 ? r.through : r.after + 1) === HOLE)).toBe(true);
        const init: ReportWorkerInit = { url, filter: {}, format: 'csv' };
        expect(await failure(joined(reportText({ ranges: inWorkers<FoldedRange>(REPORT_WORKER, init, rangesOf(0, head, size), 2) }, {}, inventory, new Date(), 'csv')))).toEqual(GAP);
        const replay: ReplayWorkerInit = { url, window: { toPosition: head } };
        expect(await failure(mergeReplay(inWorkers<ReplayPartial>(REPLAY_WORKER, replay, rangesOf(0, head, size), 2), { toPosition: head }))).toEqual(GAP);
      }
    } finally {
      await s.close();
    }
  });

  if (backend === 'sqlite') {
    it('the CLI exits 7 with LOG_GAP for replay, report and export, and writes no partial export file', async () => {
      const replay = await runCli(['--home', holed.home, 'audit', 'replay']);
      expect({ code: replay.code, stderr: replay.stderr }).toEqual({ code: 7, stderr: `strongroom: ${GAP.message} (LOG_GAP)\n` });
      for (const format of ['table', 'csv', 'json']) {
        const report = await runCli(['--home', holed.home, 'audit', 'report', '--format', format]);
        expect({ code: report.code, stdout: report.stdout, stderr: report.stderr }).toEqual({ code: 7, stdout: '', stderr: `strongroom: ${GAP.message} (LOG_GAP)\n` });
      }
      const out = join(root, 'export-out');
      const exported = await runCli(['--home', holed.home, 'audit', 'export', '--out', out]);
      expect({ code: exported.code, stderr: exported.stderr }).toEqual({ code: 7, stderr: `strongroom: ${GAP.message} (LOG_GAP)\n` });
      expect(existsSync(join(out, 'events.jsonl'))).toBe(false);
    });

    it('HTTP answers the report with LOG_GAP, and GET /v1/audit/verify names the missing event', async () => {
      const server = await serveHome(holed.home);
      try {
        for (const format of ['json', 'csv']) {
          const res = await server.client.get(`/v1/audit/report?format=${format}`);
          expect({ status: res.status, error: res.json?.error }).toEqual({ status: 500, error: GAP });
        }
        const verified = await server.client.get('/v1/audit/verify');
        expect(verified.json).toMatchObject({ ok: false, firstBad: { position: HOLE + 1, problem: 'removed', detail: `events ${HOLE}..${HOLE} are missing before this one` } });
      } finally {
        await server.stop();
      }
    });
  }
});
