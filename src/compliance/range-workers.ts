import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ErrorCode, isStrongroomError, StrongroomError } from '../shared/errors.js';

/**
 * Work over consecutive ranges of the log, spread over worker threads and handed back in log order
 * (whole-log reports use the second core: each thread reads its ranges on its own connection, parses
 * and folds them, and only the folded result crosses threads). At most `window` results wait to be
 * consumed, so memory stays bounded however long the log is. The worker script answers
 * `{ id, after, through }` with `{ id, result }` or `{ id, error }`, and on `{ close: true }` closes
 * its read connection and lets the thread end; that is asked when the last result is taken or the
 * consumer stops.
 */

/** One range of global positions: (after, through]. */
export interface PositionRange {
  readonly after: number;
  readonly through: number;
}

/** Splits (after, through] into ranges of `size` positions. */
export const rangesOf = (after: number, through: number, size: number): PositionRange[] => {
  const out: PositionRange[] = [];
  for (let a = after; a < through; a += size) out.push({ after: a, through: Math.min(through, a + size) });
  return out;
};

/**
 * Splits (after, through] into ranges that end on multiples of `size` (the access index's chunks): a
 * short first range up to the first multiple, whole ones, then a short last range up to `through`.
 */
export const alignedRangesOf = (after: number, through: number, size: number): PositionRange[] => {
  const out: PositionRange[] = [];
  for (let a = after; a < through; ) {
    const end = Math.min(through, (Math.floor(a / size) + 1) * size);
    out.push({ after: a, through: end });
    a = end;
  }
  return out;
};

/** Whether a compiled worker script is there to run (it is not when the sources run untranspiled, as under jest). */
export const workerScriptExists = (script: URL): boolean => script.protocol === 'file:' && fileURLToPath(script).endsWith('.js') && existsSync(script);

/** How long a thread asked to close may take before it is terminated. */
const CLOSE_WAIT_MS = 2_000;

type Answer = { readonly id: number; readonly result?: unknown; readonly error?: string; readonly code?: ErrorCode; readonly details?: Readonly<Record<string, unknown>> };

/** Faults of the log itself, which a range's reader finds and the caller must see as such (not as an unavailable store). */
const LOG_FAULTS: ReadonlySet<ErrorCode> = new Set([ErrorCode.LogGap, ErrorCode.IntegrityError]);

/**
 * What a worker thread answers for a range that failed: its message, and for a fault of the log
 * (LOG_GAP, INTEGRITY_ERROR) its code and details, so the caller fails with that code.
 */
export const failedRange = (id: number, error: unknown): Answer => {
  const message = error instanceof Error ? error.message : String(error);
  if (isStrongroomError(error) && LOG_FAULTS.has(error.code)) return { id, error: message, code: error.code, details: error.details };
  return { id, error: message };
};

const failureOf = (answer: Answer & { readonly error: string }): StrongroomError =>
  answer.code !== undefined && LOG_FAULTS.has(answer.code)
    ? new StrongroomError(answer.code, answer.error, answer.details ?? {})
    : new StrongroomError(ErrorCode.StoreUnavailable, `a reader thread failed: ${answer.error}`);

/**
 * Runs `ranges` in `threads` workers of `script` (started with `init` as workerData) and yields their
 * results in the order of `ranges`. Stopping early (a consumer that goes away) closes the workers.
 * @throws STORE_UNAVAILABLE when a worker fails, with its message (workers never see a plaintext secret);
 *   LOG_GAP or INTEGRITY_ERROR as a worker found it in the log (see failedRange)
 */
export async function* inWorkers<R>(script: URL, init: unknown, ranges: readonly PositionRange[], threads: number, window = threads * 3): AsyncGenerator<R> {
  const workers = Array.from({ length: Math.max(1, Math.min(threads, ranges.length)) }, () => new Worker(script, { workerData: init }));
  // Taken at start, so a thread that ended early (a store it could not open) is not waited for.
  const exits = workers.map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve())));
  const idle = [...workers];
  const done = new Map<number, R>();
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  let sent = 0;
  let next = 0;
  const send = (): void => {
    while (failure === null && idle.length > 0 && sent < ranges.length && sent < next + window) {
      const worker = idle.pop() as Worker;
      const range = ranges[sent] as PositionRange;
      worker.postMessage({ id: sent++, after: range.after, through: range.through });
    }
  };
  for (const worker of workers) {
    worker.on('message', (answer: Answer) => {
      if (answer.error !== undefined) failure ??= failureOf(answer as Answer & { readonly error: string });
      else done.set(answer.id, answer.result as R);
      idle.push(worker);
      send();
      notify();
    });
    worker.on('error', (error: unknown) => {
      // What a thread threw arrives cloned (a driver's error class becomes a plain object): keep its message.
      const message = typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string' ? (error as { message: string }).message : String(error);
      failure ??= new StrongroomError(ErrorCode.StoreUnavailable, `a reader thread failed: ${message}`);
      notify();
    });
    worker.on('exit', (code) => {
      if (code !== 0) failure ??= new StrongroomError(ErrorCode.StoreUnavailable, `a reader thread exited with code ${code}`);
      notify();
    });
  }
  try {
    send();
    while (next < ranges.length) {
      if (failure) throw failure;
      if (!done.has(next)) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const result = done.get(next) as R;
      done.delete(next++);
      send();
      yield result;
    }
  } finally {
    failure ??= new Error('closed');
    // Asked to close first, so a thread ends its read connection cleanly (a PostgreSQL session ends
    // rather than drops); terminated if it has not exited within CLOSE_WAIT_MS.
    await Promise.all(
      workers.map(async (w, i) => {
        w.postMessage({ close: true });
        const timer = setTimeout(() => void w.terminate(), CLOSE_WAIT_MS);
        await exits[i];
        clearTimeout(timer);
      }),
    );
  }
}
