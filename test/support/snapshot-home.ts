import { pino, type Logger } from 'pino';
import { Strongroom } from '../../src/bootstrap/strongroom.js';
import { resolveOptions } from '../../src/config/options.js';
import type { Clock } from '../../src/shared/clock.js';

/** A STRONGROOM_SNAPSHOT_MIN_EVENTS no test process reaches: start-up reads the snapshot, shutdown never rewrites it. */
export const NEVER_WRITE = '1000000000';

/** Where a library process runs: its home, and optionally another home's store and master key (a second replica). */
export interface SnapshotHome {
  readonly home: string;
  readonly store?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly clock?: Clock;
  /** Where it logs; silent when absent. */
  readonly logger?: Logger;
}

/** The warnings and errors a process logs (one JSON line each), for tests that check why a snapshot was not used. */
export class CapturedLogs {
  /** Cleared by a test between processes when it checks each one's own lines. */
  lines: string[] = [];
  readonly logger: Logger = pino({ level: 'warn' }, { write: (line: string) => void this.lines.push(line) });

  /** The `reason` of every line about the projection snapshot, in order ('' for a line without one). */
  snapshotReasons(): string[] {
    return this.lines
      .map((l) => JSON.parse(l) as { reason?: string; msg: string })
      .filter((l) => l.msg.includes('snapshot'))
      .map((l) => l.reason ?? '');
  }
}

/**
 * A library process on `at` that writes a projection snapshot at close once it folded `minEvents`
 * events ('0': snapshots off, the whole log is folded); lifecycle timers off, logs silent.
 */
export const openWithSnapshots = (at: SnapshotHome, minEvents: string): Promise<Strongroom> =>
  Strongroom.open(
    resolveOptions({
      env: { STRONGROOM_SNAPSHOT_MIN_EVENTS: minEvents, STRONGROOM_LIFECYCLE_INTERVAL_MS: '0', ...at.env },
      home: at.home,
      ...(at.store !== undefined && { store: at.store }),
    }),
    { initialiseIfEmpty: true, interface: 'library', logger: at.logger ?? pino({ level: 'silent' }), ...(at.clock && { clock: at.clock }) },
  );
