import type { EventStore } from '../../event-store/event-store.port.js';
import type { Logger } from '../../shared/logger.js';
import { inWorkers, workerScriptExists, type PositionRange } from '../range-workers.js';
import type { ChunkBuilt, ReportWorkerInit } from '../report-range.worker.js';
import { hasChunk, type AccessIndexLocation } from './access-index.js';

const REPORT_WORKER = new URL('../report-range.worker.js', import.meta.url);

/**
 * Keeps a server's access index warm: each run finds the whole chunks of the log (up to the head) that
 * have no file yet and has one worker thread build them, one at a time, so the first report after a
 * start or a busy day is already fast. The main thread only lists files and waits for the thread's
 * answers: requests are never blocked. A report that finds a chunk invalid rebuilds it itself; this
 * only fills gaps. Runs are scheduled by a LifecycleScheduler (src/bootstrap/strongroom.ts).
 */
export class AccessIndexWarmer {
  /** Chunks below this one are known to have files (not re-listed every run). */
  private known = 0;
  private stopping = false;
  private warned = false;

  constructor(
    private readonly store: Pick<EventStore, 'headPosition'>,
    private readonly url: string,
    private readonly index: AccessIndexLocation,
    private readonly logger: Logger,
    /** The compiled report worker (tests running sources point at dist/). */
    private readonly script: URL = REPORT_WORKER,
  ) {}

  /** Whether this process can warm the index (the compiled worker script is there: not under jest's sources). */
  static canRun(script: URL = REPORT_WORKER): boolean {
    return workerScriptExists(script);
  }

  /** Builds the missing whole chunks up to the head; ends early when `stop` is called. */
  async run(): Promise<void> {
    const size = this.index.chunkPositions;
    const complete = Math.floor((await this.store.headPosition()) / size);
    const missing: PositionRange[] = [];
    for (let k = this.known; k < complete; k++) if (!hasChunk(this.index, k)) missing.push({ after: k * size, through: (k + 1) * size });
    if (missing.length === 0 || this.stopping) {
      this.known = Math.max(this.known, complete);
      return;
    }
    const init: ReportWorkerInit = { url: this.url, filter: {}, format: 'json', index: this.index, buildOnly: true };
    for await (const built of inWorkers<ChunkBuilt>(this.script, init, missing, 1, 1)) {
      if (built.note && !this.warned) {
        this.warned = true;
        this.logger.warn({ ...('unwritable' in built.note ? { code: built.note.unwritable } : { reason: built.note.unusable }) }, 'the access index could not be kept warm; reports fold the log instead (slower)');
      }
      if (this.stopping) return;
    }
    this.known = Math.max(this.known, complete);
  }

  /** Asks a run in flight to end after the chunk it is building (the caller then awaits the run). */
  stop(): void {
    this.stopping = true;
  }
}
