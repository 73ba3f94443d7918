import { parentPort, workerData } from 'node:worker_threads';
import { eachContiguous } from '../event-store/contiguous-positions.js';
import { openRangeReader } from '../event-store/range-reader.js';
import { failedRange } from './range-workers.js';
import { REPLAY_STATE_CATEGORIES, ReplayFold, type ReplayWindow } from './policy-replay.js';

/**
 * A worker thread of a whole-log policy replay (src/compliance/range-workers.ts). Its ranges come in
 * increasing order; before each, it catches its policy state up on the token, policy and secret events
 * since its last range (by the category index: a few events, not the history), then re-decides every
 * event of the range and answers the range's counts (ReplayPartial). Sees no key and no plaintext.
 */

/** What the replay hands each thread at start. */
export interface ReplayWorkerInit {
  readonly url: string;
  readonly window: ReplayWindow;
}

const init = workerData as ReplayWorkerInit;
const port = parentPort;
if (port === null) throw new Error('replay-range.worker runs as a worker thread');
// Opened once; a store it cannot open fails each range with the driver's message (answered, not thrown).
const opening = openRangeReader(init.url);
opening.catch(() => undefined); // handled per range below; not an unhandled rejection before the first one
const fold = new ReplayFold(init.window);
let caughtUp = 0;
const replay = async (after: number, through: number): Promise<unknown> => {
  const reader = await opening;
  await reader.eachOf(REPLAY_STATE_CATEGORIES, caughtUp, after, (e) => fold.takeEffect(e));
  // Every position of the range, checked: ranges meeting end to end then cover the log without a hole.
  await eachContiguous(reader, after, through, (e) => void fold.next(e));
  caughtUp = through;
  return fold.take();
};
// One range at a time, in the order given: the state must be caught up in log order.
let queue: Promise<unknown> = Promise.resolve();
port.on('message', (task: { id: number; after: number; through: number } | { close: true }) => {
  if ('close' in task) {
    void queue.then(async () => (await opening).close()).catch(() => undefined).finally(() => port.close());
    return;
  }
  queue = queue.then(() =>
    replay(task.after, task.through).then(
      (result) => port.postMessage({ id: task.id, result }),
      (error: unknown) => port.postMessage(failedRange(task.id, error)),
    ),
  );
});
