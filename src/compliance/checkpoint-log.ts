import type { RecordedEvent } from '../event-store/event-store.port.js';
import type { EventLog } from '../kernel/tokens.js';
import { PositionSequence } from '../event-store/contiguous-positions.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import { yieldToEventLoop } from '../shared/yield-to-event-loop.js';
import { CHECKPOINT_STREAM, parseCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { exportedForm, publicLink, PUBLIC_GENESIS } from './public-chain.js';

const PAGE = 1_000;

/** The checkpoints recorded in the log, oldest first, with the position of the event recording each. */
export const recordedCheckpoints = async (log: Pick<EventLog, 'readStream'>): Promise<{ readonly checkpoint: SignedCheckpoint; readonly event: RecordedEvent }[]> =>
  (await log.readStream(CHECKPOINT_STREAM)).map((event) => {
    const checkpoint = parseCheckpoint(event.data);
    if (!checkpoint) {
      throw new StrongroomError(ErrorCode.IntegrityError, `the checkpoint event at position ${event.position} is malformed; run \`strongroom audit verify\``, {
        position: event.position,
      });
    }
    return { checkpoint, event };
  });

/** The key id of the last recorded checkpoint, or null when none is recorded (see SigningKeys.get). */
export const lastSigningKeyId = async (log: Pick<EventLog, 'readStream'>): Promise<string | null> => (await recordedCheckpoints(log)).at(-1)?.checkpoint.keyId ?? null;

/**
 * The public chain head at `to`, continuing from a known head at `from` (0 and the genesis, or a
 * checkpoint), and the keyed chain hash of the event at `to`. Reads pages and yields between them.
 * @throws LOG_GAP when a position between them is missing; INTEGRITY_ERROR when the log ends before `to`
 */
export const publicHeadAt = async (
  log: Pick<EventLog, 'readAll'>,
  start: { readonly position: number; readonly publicHead: string },
  to: number,
): Promise<{ readonly publicHead: string; readonly chainHash: string }> => {
  let head = start.publicHead;
  let chainHash = '';
  // A head signed or exported over a log with a hole would certify it: positions must run on (LOG_GAP).
  const sequence = new PositionSequence(start.position);
  let from = start.position;
  while (from < to) {
    const page = await log.readAll({ from, maxCount: Math.min(PAGE, to - from) });
    if (page.length === 0) break;
    for (const e of page) {
      if (e.position > to) break;
      sequence.next(e.position);
      head = publicLink(head, exportedForm(e));
      chainHash = e.hash;
      from = e.position;
    }
    await yieldToEventLoop();
  }
  if (from !== to) throw new StrongroomError(ErrorCode.IntegrityError, `the log ends at position ${from}, before ${to}`, { from, to });
  return { publicHead: head, chainHash };
};

export const GENESIS_START = { position: 0, publicHead: PUBLIC_GENESIS } as const;
