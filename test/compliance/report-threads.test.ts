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
import { mergeReplay, replayPolicies, type ReplayPartial, type ReplayWindow } from '../../src/compliance/policy-replay.js';
import type { ReplayWorkerInit } from '../../src/compliance/replay-range.worker.js';
import { accessStream } from '../../src/secrets/secret-streams.js';
import { referenceReplayPolicies } from '../support/reference-policy-replay.js';
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
const REPLAY_WORKER = new URL('../../dist/compliance/replay-range.worker.js', import.meta.url);

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
    expect(workerScriptExists(WORKER) && workerScriptExists(REPLAY_WORKER)).toBe(true);
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
      // The application reads in two sessions; between them the policy narrows, so later reads of
      // payments/api are refused (a session opened after the change: on PostgreSQL a running replica may
      // decide on a policy a few ms stale, a known limit replay would rightly flag).
      const session = async (days: readonly number[]): Promise<void> => {
        const asApp = await SecretManager.open({ home, ...(store !== undefined && { store }), logger: quiet, clock, token: app.token, env });
        try {
          for (const day of days) {
            clock.advanceDays(3);
            const name = day % 2 === 0 ? 'payments/db' : 'payments/api';
            if (day > 6 && name === 'payments/api') expect(await codeOf(asApp.getSecretByName(name))).toBe('ACCESS_DENIED');
            else await asApp.getSecretByName(name);
            if (day % 3 === 0) expect(await codeOf(asApp.getSecretByName('web/session'))).toBe('ACCESS_DENIED');
            if (day % 4 === 0) await manager.getSecretByName('@ops/key');
          }
        } finally {
          await asApp.close();
        }
      };
      await session([0, 1, 2, 3, 4, 5, 6]);
      await manager.execute(SetPolicy, { name: 'payments', document: { rules: [{ allow: ['read'], secrets: ['payments/db'], environments: ['*'] }] } });
      await session([7, 8, 9, 10, 11]);
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
      expect(reads).toBe(12);
    } finally {
      await s.close();
    }
  });

  it('replays, split between threads, to exactly the single-threaded replay (findings included)', async () => {
    const s = await Strongroom.open(resolveOptions({ env: {}, home, store }), { initialiseIfEmpty: false, interface: 'library', logger: quiet });
    try {
      // Two actions the policy of their time did not allow, written past the gate: replay's findings.
      const app = [...s.runtime.projection.accessState.allTokens()].find((t) => t.principal === 'payments-api');
      const web = [...s.runtime.projection.liveSecrets()].find((x) => x.name === 'web/session');
      const metadata = { actor: 'payments-api', actorKind: 'service', tokenId: app?.tokenId ?? '', interface: 'http' as const, correlationId: 'forged', occurredAt: '2026-03-01T00:00:00.000Z' };
      await s.runtime.store.appendToStream(accessStream(web?.id ?? ''), [{ type: 'SecretAccessed', schemaVersion: 1, data: { secretId: web?.id, env: 'default', name: 'web/session', version: 1 }, metadata }], { expectedRevision: 'any' });
      await s.runtime.store.appendToStream(accessStream(web?.id ?? ''), [{ type: 'SecretAccessed', schemaVersion: 1, data: { secretId: web?.id, env: 'default', name: 'web/session', version: 1 }, metadata: { ...metadata, tokenId: 'tk-nobody' } }], { expectedRevision: 'any' });
      const head = await s.runtime.store.headPosition();
      const windows: ReplayWindow[] = [{ toPosition: head }, { fromPosition: 12, toPosition: head - 1 }, { fromTime: Date.parse('2026-01-15T00:00:00Z'), toPosition: head }];
      for (const window of windows) {
        const expected = await referenceReplayPolicies(readAllPages(s.runtime.store), window);
        expect(await replayPolicies(readAllPages(s.runtime.store), window)).toEqual(expected);
        const init: ReplayWorkerInit = { url: s.options.store, window };
        expect(await mergeReplay(inWorkers<ReplayPartial>(REPLAY_WORKER, init, rangesOf(0, window.toPosition ?? head, 3), 2), window)).toEqual(expected);
      }
      const whole = await referenceReplayPolicies(readAllPages(s.runtime.store), { toPosition: head });
      expect(whole.findings.map((f) => f.kind)).toEqual(['not-allowed', 'token-unknown']);
      expect(whole.confirmedDenied).toBeGreaterThan(4);
      // The what-if stays on one thread; its fold gives what the first implementation gave.
      const current = s.runtime.projection.accessState;
      const against = { name: 'current', rulesOf: (policies: readonly string[]) => current.rulesOf(policies) };
      expect(await replayPolicies(readAllPages(s.runtime.store), { toPosition: head }, against)).toEqual(await referenceReplayPolicies(readAllPages(s.runtime.store), { toPosition: head }, against));
    } finally {
      await s.close();
    }
  });

  it('a consumer that stops after the first range closes the threads, and a thread that cannot open the store fails the report', async () => {
    const s = await Strongroom.open(resolveOptions({ env: {}, home, store }), { initialiseIfEmpty: false, interface: 'library', logger: quiet });
    try {
      const head = await s.runtime.store.headPosition();
      const init: ReportWorkerInit = { url: s.options.store, filter: {}, format: 'json' };
      let taken = 0;
      for await (const range of inWorkers<FoldedRange>(WORKER, init, rangesOf(0, head, 2), 2)) {
        expect(range.reached).toBe(2);
        taken++;
        break;
      }
      expect(taken).toBe(1);
      const missing: ReportWorkerInit = { url: backend === 'sqlite' ? `sqlite:${home}/no-such.db` : withSchema(base, 'no_such_schema'), filter: {}, format: 'json' };
      await expect(joined(reportText({ ranges: inWorkers<FoldedRange>(WORKER, missing, rangesOf(0, head, 2), 2) }, {}, () => ({ secrets: [], tokens: [] }), new Date(), 'json'))).rejects.toThrow(/a reader thread failed/);
    } finally {
      await s.close();
    }
  });

  it('a range reader reads (after, through] in order, by category too, and refuses a store kind it cannot read', async () => {
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
      const tokens: string[] = [];
      await reader.eachOf(['token', 'policy'], 0, await s.runtime.store.headPosition(), (e) => tokens.push(e.stream.split('-')[0] ?? ''));
      expect(tokens.length).toBeGreaterThanOrEqual(4);
      expect(new Set(tokens)).toEqual(new Set(['token', 'policy']));
    } finally {
      await reader.close();
      await s.close();
    }
    expect(await codeOf(openRangeReader('memory:x'))).toBe('NOT_IMPLEMENTED');
  });
});
