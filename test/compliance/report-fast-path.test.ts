import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { foldIndexedRange, type AccessIndexLocation } from '../../src/compliance/access-index/access-index.js';
import { isWholeChunk } from '../../src/compliance/access-index/chunk-digest.js';
import { accessReport, type CurrentInventory, type ReportFilter } from '../../src/compliance/access-report.js';
import { reportLines, type ReportFormat } from '../../src/compliance/queries/get-access-report/report-format.js';
import { foldRange, reportText, type FoldedRange } from '../../src/compliance/report-text.js';
import { alignedRangesOf, rangesOf } from '../../src/compliance/range-workers.js';
import type { RecordedEvent } from '../../src/event-store/event-store.port.js';
import type { RangeReader } from '../../src/event-store/range-reader.js';
import { referenceAccessReport, referenceReportLines } from '../support/reference-access-report.js';
import { tempHome } from '../support/temp-home.js';

/**
 * The fast report paths (one synchronous fold, text a chunk per page; ranges folded apart and merged,
 * as worker threads do; whole chunks through the access index, cold and then warm) print exactly what
 * the first implementation printed, byte for byte, for random logs holding every row kind and odd
 * values, under random filters, in every format.
 */

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const DAY = 86_400_000;

const text = fc.constantFrom('payments/db', 'payments/api', 'web/session', 'a,b', 'say "hi"', '=cmd()', '-1', '@x', 'line\nbreak', 'ünï/cødé');
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
const rule = fc.oneof(
  fc.constant('root'),
  fc.record({ policy: fc.constantFrom('payments', 'ops'), version: fc.integer({ min: 1, max: 3 }), rule: fc.integer({ min: 0, max: 2 }) }),
  fc.constant({ version: 1 }),
  fc.constant(7),
);
const secretId = fc.constantFrom('id-1', 'id-2', 'id-3', 'id-4');

const accessed = fc.record({ secretId, env: maybe(fc.constantFrom('default', 'prod')), name: maybe(text), version: maybe(fc.integer({ min: 1, max: 4 })), allowedBy: maybe(rule), asOf: maybe(fc.integer({ min: 1, max: 50 })) });
const denied = fc.record({ env: maybe(fc.constantFrom('default', 'prod')), secret: maybe(text), capability: maybe(fc.constantFrom('read', 'admin')), rule: maybe(rule), reason: maybe(text) });
const failed = fc.record({ interface: maybe(fc.constantFrom('http', 'bus')), tokenId: maybe(fc.constantFrom('tk-1', 'tk-9')), reason: maybe(fc.constantFrom('unknown token', 'expired, revoked')), count: maybe(fc.integer({ min: 1, max: 9 })) });

const event = fc.record({
  payload: fc.oneof(
    accessed.map((data) => ({ type: 'SecretAccessed', data })),
    denied.map((data) => ({ type: 'AccessDenied', data })),
    failed.map((data) => ({ type: 'AuthenticationFailed', data })),
    fc.record({ secretId, name: text }).map((data) => ({ type: 'SecretStored', data })),
    fc.constant({ type: 'TokenCreated', data: { tokenId: 'tk-2' } }),
  ),
  actor: maybe(fc.constantFrom('ops', 'payments-api', 'web', 'a,"b"')),
  tokenId: maybe(fc.constantFrom('tk-1', 'tk-2', 'tk-3')),
  via: maybe(fc.constantFrom('http', 'cli', 'library')),
  step: fc.integer({ min: 0, max: 3 * DAY }),
  /** Now and then an occurredAt not in toISOString form (the index keeps those as text) or far from now. */
  odd: fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('2026-02-01T00:00:00Z', 'not a time', '', '+020000-01-01T00:00:00.000Z', '-000001-01-01T00:00:00.000Z') }),
});

type Draft = typeof event extends fc.Arbitrary<infer T> ? T : never;
type FilterDraft = typeof filterArb extends fc.Arbitrary<infer T> ? T : never;

const logOf = (drafts: readonly Draft[]): RecordedEvent[] => {
  let t = T0;
  return drafts.map((d, i) => {
    t += d.step;
    const metadata = { ...(d.actor !== undefined && { actor: d.actor }), ...(d.tokenId !== undefined && { tokenId: d.tokenId }), ...(d.via !== undefined && { interface: d.via }), correlationId: 'c', occurredAt: d.odd ?? new Date(t).toISOString() };
    // Optional fields absent rather than undefined, as JSON read back from a store has them.
    const data = JSON.parse(JSON.stringify(d.payload.data)) as Record<string, unknown>;
    return { position: i + 1, stream: `s-${i}`, revision: 0, type: d.payload.type, schemaVersion: 1, data, metadata, digest: 'd', hash: `h${i + 1}` } as unknown as RecordedEvent;
  });
};

/** Each filter is absent three times in four, so most runs still print rows to compare. */
const rarely = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
const filterArb = fc.record({
  fromPosition: rarely(fc.integer({ min: 1, max: 40 })),
  toPosition: rarely(fc.integer({ min: 1, max: 60 })),
  fromTime: rarely(fc.integer({ min: 0, max: 40 }).map((d) => T0 + d * DAY)),
  toTime: rarely(fc.integer({ min: 0, max: 80 }).map((d) => T0 + d * DAY)),
  secret: rarely(fc.constantFrom('payments/*', '**', 'web/*', 'nothing')),
  principal: rarely(fc.constantFrom('ops', 'payments-api', 'unknown')),
  env: rarely(fc.constantFrom('default', 'prod')),
  unusedDays: rarely(fc.integer({ min: 1, max: 60 })),
});
const defined = (f: FilterDraft): ReportFilter => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as ReportFilter;

const INVENTORY: CurrentInventory = {
  secrets: [
    { id: 'id-1', name: 'payments/db', env: 'default', createdAt: '2026-01-01T00:00:00.000Z' },
    { id: 'id-2', name: 'web/session', env: 'prod', createdAt: '2026-01-02T00:00:00.000Z' },
    { id: 'id-5', name: 'payments/new', env: 'default', createdAt: '2026-04-01T00:00:00.000Z' },
  ],
  tokens: [
    { tokenId: 'tk-1', principal: 'payments-api', createdAt: '2026-01-01T00:00:00.000Z', revokedAt: null, expiresAt: null },
    { tokenId: 'tk-2', principal: 'ops', createdAt: '2026-01-01T00:00:00.000Z', revokedAt: null, expiresAt: '2027-01-01T00:00:00.000Z' },
    { tokenId: 'tk-4', principal: 'web', createdAt: '2026-01-01T00:00:00.000Z', revokedAt: '2026-02-01T00:00:00.000Z', expiresAt: null },
  ],
};
const NOW = new Date(T0 + 100 * DAY);

async function* pagesOf(events: readonly RecordedEvent[], size: number): AsyncGenerator<readonly RecordedEvent[]> {
  for (let i = 0; i < events.length; i += size) yield events.slice(i, i + size);
}
const joined = async (chunks: AsyncIterable<string>): Promise<string> => {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
};
/** An in-memory range reader over `events` (positions are 1..n): what a worker's connection reads. */
const readerOf = (events: readonly RecordedEvent[]): RangeReader => ({
  each: async (after, through, visit) => {
    for (const e of events.slice(after, through)) visit(e);
  },
  eachOf: async () => {
    throw new Error('the report reads no category');
  },
  // Counted from the events themselves, as a store counts its rows.
  count: async (after, through) => events.filter((e) => e.position > after && e.position <= through).length,
  close: async () => undefined,
});
/** Ranges folded apart, each on a fresh fold and posted through a structured clone, as worker threads do. */
async function* foldedApart(events: readonly RecordedEvent[], size: number, filter: ReportFilter, format: ReportFormat): AsyncGenerator<FoldedRange> {
  for (const r of rangesOf(0, events.length, size)) yield structuredClone(await foldRange(readerOf(events), r.after, r.through, filter, format));
}

/** A reader that fails a read of a whole chunk (longer than one position) the window does not cut: a warm index must not fold one from the log. */
const warmReaderOf = (events: readonly RecordedEvent[], size: number, toPosition = Infinity): RangeReader => ({
  ...readerOf(events),
  each: async (after, through, visit) => {
    if (size > 1 && isWholeChunk(after, through, size) && toPosition >= through) throw new Error(`chunk (${after}, ${through}] was folded from the log`);
    for (const e of events.slice(after, through)) visit(e);
  },
});
/** The report from position `start` on, range by range through the access index at `index`, as the handler runs it. */
async function* indexed(reader: RangeReader, start: number, head: number, filter: ReportFilter, format: ReportFormat, index: AccessIndexLocation): AsyncGenerator<FoldedRange> {
  for (const r of alignedRangesOf(start, head, index.chunkPositions)) yield structuredClone(await foldIndexedRange(reader, r.after, r.through, filter, format, index));
}
const KEY = new Uint8Array(32).fill(7);

describe('the fast report paths print exactly what the first implementation printed', () => {
  it('for random logs, filters, page and range sizes, in every format', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 80, size: 'max' }), filterArb, fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 25 }), fc.constantFrom<ReportFormat>('json', 'csv', 'table'), async (drafts, f, pageSize, rangeSize, format) => {
        const events = logOf(drafts);
        const filter = defined(f);
        const expected = await joined(referenceReportLines(referenceAccessReport(pagesOf(events, pageSize), filter, () => INVENTORY, NOW), format));
        expect(await joined(reportText({ pages: pagesOf(events, pageSize) }, filter, () => INVENTORY, NOW, format))).toBe(expected);
        expect(await joined(reportText({ ranges: foldedApart(events, rangeSize, filter, format) }, filter, () => INVENTORY, NOW, format))).toBe(expected);
        expect(await joined(reportLines(accessReport(pagesOf(events, pageSize), filter, () => INVENTORY, NOW), format))).toBe(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('through the access index, cold (building chunks) and warm (reading them), from any start', async () => {
    const { home, cleanup } = tempHome('access-index-property');
    let run = 0;
    let chunksRead = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 80, size: 'max' }), filterArb, fc.integer({ min: 1, max: 25 }), fc.nat({ max: 30 }), fc.constantFrom<ReportFormat>('json', 'csv', 'table'), async (drafts, f, chunk, from, format) => {
          const events = logOf(drafts);
          const filter = defined(f);
          const start = Math.min(from, events.length - 1);
          const index: AccessIndexLocation = { dir: `${home}/${run++}`, key: KEY, chunkPositions: chunk };
          const expected = await joined(referenceReportLines(referenceAccessReport(pagesOf(events.slice(start), 7), filter, () => INVENTORY, NOW), format));
          const cold = await joined(reportText({ ranges: indexed(readerOf(events), start, events.length, filter, format, index) }, filter, () => INVENTORY, NOW, format));
          expect(cold).toBe(expected);
          const whole = alignedRangesOf(start, events.length, chunk).filter((r) => isWholeChunk(r.after, r.through, chunk) && (filter.toPosition === undefined || filter.toPosition >= r.through)).length;
          expect(whole === 0 ? 0 : readdirSync(index.dir).length).toBe(whole);
          chunksRead += whole;
          const warm = await joined(reportText({ ranges: indexed(warmReaderOf(events, chunk, filter.toPosition), start, events.length, filter, format, index) }, filter, () => INVENTORY, NOW, format));
          expect(warm).toBe(expected);
        }),
        { numRuns: 400 },
      );
    } finally {
      cleanup();
    }
    expect(chunksRead).toBeGreaterThan(400);
  });

  it('the generator reaches every row kind (the property is not vacuous)', async () => {
    const kinds = new Set<string>();
    fc.sample(fc.array(event, { minLength: 40, maxLength: 60 }), 20).forEach((drafts) => {
      for (const e of logOf(drafts)) kinds.add(e.type);
    });
    expect([...kinds].sort()).toEqual(['AccessDenied', 'AuthenticationFailed', 'SecretAccessed', 'SecretStored', 'TokenCreated']);
    const rows = new Set<string>();
    const events = logOf(fc.sample(fc.array(event, { minLength: 60, maxLength: 60 }), 1)[0] ?? []);
    for await (const row of accessReport(pagesOf(events, 7), { unusedDays: 1 }, () => INVENTORY, NOW)) rows.add(row.kind);
    expect(rows.has('read') && rows.has('denied') && rows.has('authn-failed') && rows.has('secret') && rows.has('unread-secret') && rows.has('unused-token')).toBe(true);
  });
});
