import { availableParallelism } from 'node:os';
import { FailedAuthentications } from '../../../access/failed-authentications.js';
import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import { compilePattern, patternProblem } from '../../../access/domain/glob.js';
import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { deniedStream } from '../../../kernel/gate-events.js';
import { environmentNames } from '../../../keys/domain/keyring-state.js';
import { accessStream } from '../../../secrets/secret-streams.js';
import { mergedStreams } from '../../merged-streams.js';
import { readAllPages } from '../../../audit/verify-chain.js';
import type { RecordedEvent } from '../../../event-store/event-store.port.js';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { ACCESS_INDEX, CLOCK, EVENT_LOG, LOGGER, OPTIONS, type EventLog } from '../../../kernel/tokens.js';
import type { Logger } from '../../../shared/logger.js';
import { foldIndexedRange, type AccessIndexLocation, type IndexedRange } from '../../access-index/access-index.js';
import { CHUNK_POSITIONS } from '../../access-index/chunk-digest.js';
import { logRangeReader } from '../../access-index/log-range-reader.js';
import type { StrongroomOptions } from '../../../config/options.js';
import { canReadRanges, openRangeReader, type RangeReader } from '../../../event-store/range-reader.js';
import { contiguousPages } from '../../../event-store/contiguous-positions.js';
import { alignedRangesOf, inWorkers, workerScriptExists, type PositionRange } from '../../range-workers.js';
import type { ReportWorkerInit } from '../../report-range.worker.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { AUDIT_READS_STREAM, recordListing } from '../../../secrets/listing-record.js';
import type { Clock } from '../../../shared/clock.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { accessReport, type CurrentInventory, type ReportFilter } from '../../access-report.js';
import { reportText } from '../../report-text.js';
import type { ReportFormat } from './report-format.js';
import { PointInTime, refuseBackwardWindow, type AtInput } from '../../point-in-time.js';
import { GetAccessReportQuery, type AccessReport, type GetAccessReportInput } from './get-access-report.query.js';

/**
 * Resolves the window once (times through the projection's index, so the scan starts near `from`
 * rather than at the beginning), records the report as a read of the audit trail, and returns the
 * streaming rows (src/compliance/access-report.ts). A whole-log report's rows and lines throw LOG_GAP
 * when a position from `start` to `head` is missing (see contiguous-positions.ts).
 */
@QueryHandler(GetAccessReportQuery)
export class GetAccessReportHandler extends GatedHandler<GetAccessReportQuery, AccessReport> {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
    private readonly moments: PointInTime,
    private readonly projection: StrongroomProjection,
    private readonly failures: FailedAuthentications,
    @Inject(ACCESS_INDEX) private readonly index: AccessIndexLocation | null,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  protected async handle(input: GetAccessReportInput, ticket: Ticket): Promise<AccessReport> {
    if (input.secret !== undefined) {
      const problem = patternProblem(input.secret, 'secret');
      if (problem) throw new StrongroomError(ErrorCode.InvalidInput, `secret: ${problem}`);
    }
    refuseBackwardWindow(input.from, input.to);
    // Failed authentications this process is still counting (FailedAuthentications records repeats when
    // its window closes, up to a minute later) are recorded first, so the report counts every one so far.
    await this.failures.flush();
    const now = this.clock.now();
    const head = await this.log.headPosition();
    const filter: ReportFilter = {
      ...bound(input.from, 'from'),
      ...bound(input.to, 'to'),
      ...(input.secret !== undefined && { secret: input.secret }),
      ...(input.principal !== undefined && { principal: input.principal }),
      ...(input.env !== undefined && { env: input.env }),
      ...(input.unusedDays !== undefined && { unusedDays: input.unusedDays }),
    };
    // Where to start reading: before `from`, and early enough to see the last uses of the unused window.
    const starts = [typeof input.from === 'number' ? input.from - 1 : input.from === undefined ? 0 : this.startBefore(Date.parse(input.from))];
    if (input.unusedDays !== undefined) starts.push(this.startBefore(now.getTime() - input.unusedDays * 86_400_000));
    const start = Math.max(0, Math.min(...starts));
    await recordListing(ticket, AUDIT_READS_STREAM, 'AuditTrailRead', { kind: 'report', ...input });
    let reached = start;
    const projection = this.projection;
    const inventory = (): CurrentInventory => ({
      secrets: [...projection.liveSecrets()].map((s) => ({ id: s.id, name: s.name, env: s.env, createdAt: s.createdAt })),
      tokens: [...projection.accessState.allTokens()],
    });
    // The whole log's pages are checked to have no hole (a report is evidence); a report on some secrets
    // reads their streams, whose positions are not contiguous, and cannot see a hole elsewhere.
    const pages = (): AsyncIterable<readonly RecordedEvent[]> =>
      input.secret === undefined
        ? contiguousPages(readAllPages({ readAll: (o) => this.log.readAll({ ...o, from: Math.max(o?.from ?? 0, start) }) }, PAGE), start, head)
        : upTo(this.streamsOf(input.secret, input.env, start), head);
    const progress = (position: number): void => {
      reached = position;
    };
    const rows = accessReport(pages(), filter, inventory, now, progress);
    const whole = input.secret === undefined;
    const threaded = whole && head - start >= THREADED_FROM && availableParallelism() > 1 && canReadRanges(this.options.store) && workerScriptExists(REPORT_WORKER);
    // A whole-log report goes through the access index: whole chunks from their files, the rest from the log.
    const index = whole ? this.index : null;
    const lines = (format: ReportFormat): AsyncIterable<string> => {
      const init: ReportWorkerInit = { url: this.options.store, filter, format, index };
      const ranges = alignedRangesOf(start, head, this.index?.chunkPositions ?? CHUNK_POSITIONS);
      const source = threaded
        ? { ranges: this.noted(inWorkers<IndexedRange>(REPORT_WORKER, init, ranges, availableParallelism())) }
        : index !== null
          ? { ranges: this.noted(onMainThread(this.log, this.options.store, ranges, filter, format, index)) }
          : { pages: pages() };
      return reportText(source, filter, inventory, now, format, progress);
    };
    return { start, head, reached: () => reached, rows, lines };
  }

  /**
   * A report on some secrets reads only what can concern them: the access streams of every secret ever
   * stored whose name matches (purged ones too), and the refusals of the environments in question.
   */
  private streamsOf(pattern: string, env: string | undefined, after: number): AsyncIterable<readonly RecordedEvent[]> {
    const matches = compilePattern(pattern);
    const ids = [...this.projection.everStored()].filter((s) => (env === undefined || s.env === env) && matches.test(s.name)).map((s) => accessStream(s.id));
    const envs = env !== undefined ? [env] : [...environmentNames(this.projection.keys), ALL_ENVIRONMENTS];
    return mergedStreams(this.log, [...ids, ...envs.map((e) => deniedStream({ env: e, secret: null }))], after);
  }

  /** `ranges` as they come, logging the first thing any of them notes about the access index (once per report). */
  private async *noted(ranges: AsyncIterable<IndexedRange>): AsyncGenerator<IndexedRange> {
    let told = false;
    for await (const range of ranges) {
      if (range.note && !told) {
        told = true;
        if ('unusable' in range.note) this.logger.warn({ reason: range.note.unusable }, 'an access index chunk was not used; that range is folded from the log and its chunk rewritten');
        else this.logger.warn({ code: range.note.unwritable }, 'the access index could not be written; the report folds the log instead (slower)');
      }
      yield range;
    }
  }

  /** The position of the last change at or before `ms` (the index holds changes only, so this never passes an access at that time). */
  private startBefore(ms: number): number {
    return this.moments.positionOfTime(ms);
  }
}

/**
 * A whole-log report over at least this many positions is read, folded and formatted by worker threads
 * (one per core, each on its own read connection), a chunk of the access index (CHUNK_POSITIONS) at a time; below it, one thread is as quick
 * (measured: starting a thread and warming it up costs a few hundred ms under load, and on this shared
 * machine the threads rarely find a free core; see BENCHMARKS.md).
 */
const THREADED_FROM = 500_000;
const REPORT_WORKER = new URL('../../report-range.worker.js', import.meta.url);

/** Events per read of a whole-log report: a few milliseconds of folding between turns of the event loop. */
const PAGE = 2_000;

const bound = (at: AtInput | undefined, which: 'from' | 'to'): Partial<ReportFilter> => {
  if (at === undefined) return {};
  if (typeof at === 'number') return which === 'from' ? { fromPosition: at } : { toPosition: at };
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new StrongroomError(ErrorCode.InvalidInput, `${which}: not a time`);
  return which === 'from' ? { fromTime: ms } : { toTime: ms };
};

/** Ranges folded on this thread, through the access index (below the threaded size). */
async function* onMainThread(log: EventLog, store: string, ranges: readonly PositionRange[], filter: ReportFilter, format: ReportFormat, index: AccessIndexLocation): AsyncGenerator<IndexedRange> {
  // Events come through this process's connection, a page at a time between turns of the event loop;
  // a warm chunk's count of positions (that nothing was removed under it since it was built) comes from
  // a range reader of its own, which counts by index.
  const counter = await openRangeReader(store);
  try {
    const reader: RangeReader = { ...logRangeReader(log), count: (after, through) => counter.count?.(after, through) ?? Promise.resolve(-1) };
    for (const r of ranges) yield await foldIndexedRange(reader, r.after, r.through, filter, format, index);
  } finally {
    await counter.close();
  }
}

/** Pages up to the head as it was when the report began (a report has an end even while the log grows). */
async function* upTo(pages: AsyncIterable<readonly RecordedEvent[]>, head: number): AsyncGenerator<readonly RecordedEvent[]> {
  for await (const page of pages) {
    const last = page.at(-1) as RecordedEvent;
    if (last.position <= head) {
      yield page;
      if (last.position === head) return;
      continue;
    }
    const within = page.filter((e) => e.position <= head);
    if (within.length > 0) yield within;
    return;
  }
}
