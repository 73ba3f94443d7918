import { pino } from 'pino';
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
    { initialiseIfEmpty: true, interface: 'library', logger: pino({ level: 'silent' }), ...(at.clock && { clock: at.clock }) },
  );
