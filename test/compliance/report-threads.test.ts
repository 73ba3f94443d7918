import { SetPolicy } from '../../src/access/commands/set-policy/set-policy.use-case.js';
import { readAllPages } from '../../src/audit/verify-chain.js';
import { Strongroom } from '../../src/bootstrap/strongroom.js';
import type { ReportFilter } from '../../src/compliance/access-report.js';
import type { ReportFormat } from '../../src/compliance/queries/get-access-report/report-format.js';
import { inWorkers, rangesOf, workerScriptExists } from '../../src/compliance/range-workers.js';
import type { ReportWorkerInit } from '../../src/compliance/report-range.worker.js';
import { reportText, type FoldedRange } from '../../src/compliance/report-text.js';
import { resolveOptions } from '../../src/config/options.js';
import { openRangeReader } from '../../src/event-store/range-reader.js';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { assertBuilt } from '../cli/run-cli.js';
import { codeOf } from '../support/code-of.js';
import { dropSchema, freshSchemaName, testPostgresUrl, withSchema } from '../support/pg-test-db.js';
import { referenceAccessReport, referenceReportLines } from '../support/reference-access-report.js';
import { tempHome } from '../support/temp-home.js';
import { TestClock } from '../support/test-clock.js';

/**
 * The threaded whole-log report on a real store: the compiled worker script (dist/, as the CLI and the
 * server run it) reads small ranges on its own connection, on SQLite and PostgreSQL, and the merged
 * text equals the first implementation's over the adapter's own reads, for several filters and formats.
 */
const quiet = createLogger({ silent: true });
const WORKER = new URL('../../dist/compliance/report-range.worker.js', import.meta.url);

const joined = async (chunks: AsyncIterable<string>): Promise<string> => {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
};

describe.each(['sqlite', 'postgres'] as const)('threaded whole-log report (%s)', (backend) => {
  let home: string;
  let cleanup: () => void;
  let store: string | undefined;
  let schema: string | undefined;
  let base: string;

  beforeAll(async () => {
    assertBuilt();
    expect(workerScriptExists(WORKER)).toBe(true);
    ({ home, cleanup } = tempHome('report-threads'));
    if (backend === 'postgres') {
      base = await testPostgresUrl();
      schema = freshSchemaName();
      store = withSchema(base, schema);
    }
    const clock = new TestClock('2026-01-01T00:00:00.000Z');
    const env = { STRONGROOM_LIFECYCLE_INTERVAL_MS: '0' };
    const manager = await SecretManager.open({ home, ...(store !== undefined && { store }), initialise: true, logger: quiet, actor: 'ops', clock, env });
    try {
      for (const name of ['payments/db', 'payments/api', 'web/session', '@ops/key']) await manager.storeSecret(name, 'v');
      await manager.execute(SetPolicy, { name: 'payments', document: { rules: [{ allow: ['read'], secrets: ['payments/*'], environments: ['*'] }] } });
      const app = await manager.createToken({ principal: 'payments-api', policies: ['payments'] });
      await manager.createToken({ principal: 'idle-job', policies: ['payments'] });
      const asApp = await SecretManager.open({ home, ...(store !== undefined && { store }), logger: quiet, clock, token: app.token, env });
      try {
        for (let day = 0; day < 12; day++) {
          clock.advanceDays(3);
          await asApp.getSecretByName(day % 2 === 0 ? 'payments/db' : 'payments/api');
          if (day % 3 === 0) expect(await codeOf(asApp.getSecretByName('web/session'))).toBe('ACCESS_DENIED');
          if (day % 4 === 0) await manager.getSecretByName('@ops/key');
        }
      } finally {
        await asApp.close();
      }
    } finally {
      await manager.close();
    }
  });
  afterAll(async () => {
    if (schema) await dropSchema(base, schema);
    cleanup();
  });

  it('prints what the single-threaded reference prints, for every format and several filters', async () => {
    const s = await Strongroom.open(resolveOptions({ env: {}, home, store }), { initialiseIfEmpty: false, interface: 'library', logger: quiet });
    try {
      const head = await s.runtime.store.headPosition();
      const url = s.options.store;
      const now = s.runtime.clock.now();
      const inventory = () => ({
        secrets: [...s.runtime.projection.liveSecrets()].map((x) => ({ id: x.id, name: x.name, env: x.env, createdAt: x.createdAt })),
        tokens: [...s.runtime.projection.accessState.allTokens()],
      });
      const filters: ReportFilter[] = [{}, { unusedDays: 20 }, { principal: 'payments-api' }, { fromPosition: 9, toPosition: head - 4 }, { secret: 'payments/*', fromTime: Date.parse('2026-01-10T00:00:00Z') }];
      let reads = 0;
      for (const filter of filters) {
        for (const format of ['json', 'csv', 'table'] as ReportFormat[]) {
          const expected = await joined(referenceReportLines(referenceAccessReport(readAllPages(s.runtime.store), filter, inventory, now), format));
          const init: ReportWorkerInit = { url, filter, format };
          const threaded = await joined(reportText({ ranges: inWorkers<FoldedRange>(WORKER, init, rangesOf(0, head, 4), 2) }, filter, inventory, now, format));
          expect(threaded).toBe(expected);
          if (format === 'json' && Object.keys(filter).length === 0) reads = expected.split('\n').filter((l) => l.startsWith('{"kind":"read"')).length;
        }
      }
      expect(reads).toBe(15);
    } finally {
      await s.close();
    }
  });

  it('a range reader reads (after, through] in order, and refuses a store kind it cannot read', async () => {
    const s = await Strongroom.open(resolveOptions({ env: {}, home, store }), { initialiseIfEmpty: false, interface: 'library', logger: quiet });
    const reader = await openRangeReader(s.options.store);
    try {
      const seen: number[] = [];
      await reader.each(3, 7, (e) => seen.push(e.position));
      expect(seen).toEqual([4, 5, 6, 7]);
      const own = await s.runtime.store.readAll({ from: 3, maxCount: 4 });
      const again: unknown[] = [];
      await reader.each(3, 7, (e) => again.push(e));
      expect(again).toEqual(own);
    } finally {
      await reader.close();
      await s.close();
    }
    expect(await codeOf(openRangeReader('memory:x'))).toBe('NOT_IMPLEMENTED');
  });
});
