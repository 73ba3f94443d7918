import type { Logger } from '../shared/logger.js';
import { isStrongroomError } from '../shared/errors.js';

/**
 * Runs the secrets' lifecycle timers (RunLifecycleTimers) in a long-lived process: every `intervalMs`
 * and whenever `runNow` is called. Nothing is scheduled in memory: each run asks the log and the clock
 * what is due, so a restart, a replica or a long downtime only means the next run finds more to do.
 * Runs never overlap in a process (a call while one runs joins it). The timer does not keep the process
 * alive, and `stop` waits for a run in flight.
 */
export class LifecycleScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly logger: Logger,
    /** What runs, for the log line when a run fails. */
    private readonly what = 'the lifecycle timers',
  ) {}

  /** Starts the timer (0 ms: on demand only). */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.runNow().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  /** One run now, or the one already running. Failures are logged and rethrown to the caller. */
  runNow(): Promise<void> {
    this.running ??= (async () => {
      try {
        await this.run();
      } catch (e) {
        // A StrongroomError's message names what to fix (a path, a key id) and never a value or a key.
        const why = isStrongroomError(e) ? `: ${e.message}` : '';
        this.logger.error({ code: isStrongroomError(e) ? e.code : 'UNEXPECTED' }, `${this.what} could not run${why}; the next run tries again`);
        throw e;
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}
