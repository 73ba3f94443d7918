/**
 * The SQLite writer thread (started by SqliteWriterThread, the event loop's side): it owns the store's
 * write connection and runs the group-commit core (GroupCommit) on it, so the revision checks, the
 * sealing of the hash chain and every fsync happen here, on the second core, while the event loop keeps
 * preparing, encrypting and serialising the next appends and serving reads from its own connection.
 *
 * Batching and pipelining fall out of this: appends the event loop posts while a transaction is being
 * made durable queue in this thread's port, and the core takes all of them as the next batch as soon as
 * the previous one settled. Each batch reads the head inside its own IMMEDIATE transaction and is sealed
 * there, so a batch that failed (rolled back) can never leave a later batch sealed on top of it.
 *
 * Nothing here logs: payloads are ciphertext, but the audit key is in this thread's memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HmacChainSealer } from '../../audit/event-seal.js';
import type { ExpectedRevision, NewEvent, RecordedEvent } from '../event-store.port.js';
import { GroupCommit, type QueuedEvent } from '../group-commit.js';
import type { SealedEvent } from '../seal-batch.js';
import { SqliteConnection, type LogTip } from './sqlite-connection.js';
import type { EventRow } from './sqlite-rows.js';
import { APPEND_FIELDS, EVENT_FIELDS, RESULT_ERROR, RESULT_OK, toWire, type FromWriter, type ToWriter, type WireError, type WriterThreadData } from './sqlite-writer-protocol.js';
import { SqliteWriter } from './sqlite-writer.js';

/** Rows per transaction; a longer queue commits in several (the same as on the event loop). */
const MAX_BATCH_EVENTS = 10_000;

/**
 * Stands for each queued event's `source`, which the core reads only to build the recorded events it
 * answers with; here those answers carry only places and hashes (see toRecorded below): the event loop
 * holds the real events and rebuilds the recorded ones from them. Hence the cast.
 */
const NO_SOURCE = Object.freeze({ type: '', schemaVersion: 0, data: {}, metadata: {} }) as unknown as NewEvent;

const port = parentPort;
if (port === null) throw new Error('sqlite-writer.worker.js runs as a worker thread only');
const { path, tip: startTip } = workerData as WriterThreadData;

const sealer = new HmacChainSealer();
let known: LogTip = startTip;
const connection = SqliteConnection.open(path);
const writer = new SqliteWriter(connection, path, () => known);

/** What the current batch's settled appends answer, sent as one message once they all settled. */
let gap: readonly EventRow[] = [];
let results: (string | number)[] = [];
let errors: WireError[] = [];
let flushScheduled = false;

const post = (message: FromWriter): void => port.postMessage(message);

const flush = (): void => {
  flushScheduled = false;
  if (results.length === 0 && gap.length === 0) return;
  post({ k: 'batch', gap, results, errors });
  gap = [];
  results = [];
  errors = [];
};

/**
 * The core settles a batch's appends one after another in the same step, and their callbacks run as
 * microtasks before its loop's next setImmediate; a setImmediate scheduled first therefore sends the
 * whole batch, and nothing of the next, in one message.
 */
const scheduleFlush = (): void => {
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flush);
};

const core = new GroupCommit(
  {
    maxBatchEvents: MAX_BATCH_EVENTS,
    onCloseQueued: 'commit',
    commit: (seal) => {
      // One message per batch: a gap's rows must never be delivered after a later batch's events.
      flush();
      const written = writer.commit(seal);
      const last = written.sealed.sealed.at(-1);
      const lastGap = written.gapRows.at(-1);
      if (last !== undefined) known = { position: last.position, hash: last.hash };
      else if (lastGap !== undefined) known = { position: lastGap[0], hash: lastGap[8] };
      if (written.gapRows.length > 0) {
        gap = gap.length === 0 ? written.gapRows : [...gap, ...written.gapRows];
        scheduleFlush();
      }
      // The event loop delivers, from its own events and the gap's rows.
      return { sealed: written.sealed, gap: null };
    },
    deliver: scheduleFlush,
    toRecorded: (e: SealedEvent<QueuedEvent>): RecordedEvent => ({ ...NO_SOURCE, stream: e.stream, revision: e.revision, position: e.position, digest: e.digest, hash: e.hash }),
  },
  sealer,
);

const appendAll = (flat: readonly (string | number)[]): void => {
  let i = 0;
  while (i < flat.length) {
    const id = flat[i] as number;
    const stream = flat[i + 1] as string;
    const expected = flat[i + 2] as ExpectedRevision;
    const n = flat[i + 3] as number;
    i += APPEND_FIELDS;
    const events: QueuedEvent[] = new Array<QueuedEvent>(n);
    let bytes = 0;
    for (let j = 0; j < n; j++, i += EVENT_FIELDS) {
      const dataJson = flat[i + 2] as string;
      const metadataJson = flat[i + 3] as string;
      bytes += dataJson.length + metadataJson.length;
      events[j] = { type: flat[i] as string, schemaVersion: flat[i + 1] as number, dataJson, metadataJson, digest: flat[i + 4] as string, source: NO_SOURCE };
    }
    core.appendPrepared(stream, { events, bytes }, expected).then(
      (result) => {
        results.push(id, RESULT_OK, result.nextExpectedRevision, result.position);
        for (const e of result.events) results.push(e.hash);
        scheduleFlush();
      },
      (error: unknown) => {
        results.push(id, RESULT_ERROR, errors.length);
        errors.push(toWire(error));
        scheduleFlush();
      },
    );
  }
};

/** Imports and redactions run between batches, in the order they were posted among the appends. */
const exclusive = (id: number, work: () => void): void => {
  core.exclusive(work).then(
    () => post({ k: 'done', id }),
    (error: unknown) => post({ k: 'done', id, error: toWire(error) }),
  );
};

port.on('message', (message: ToWriter) => {
  switch (message.k) {
    case 'key':
      sealer.useKey(Buffer.from(message.key));
      return;
    case 'appends':
      // Everything through the event loop's delivered tip reached its subscribers already (its own
      // catchUp or poll, or imports read back): a later gap starts after it.
      if (message.tip.position > known.position) known = message.tip;
      appendAll(message.flat);
      return;
    case 'import':
      // `known` stays where it was: the event loop reads the imported rows back once this answers, and
      // its next appends bring its tip past them; until then a batch reports them, and it drops those.
      exclusive(message.id, () => writer.importRows(message.rows));
      return;
    case 'redact':
      exclusive(message.id, () => writer.redact(message.rows));
      return;
    case 'close':
      void core.close().then(() => {
        flush();
        connection.close();
        post({ k: 'closed' });
        port.close();
      });
      return;
  }
});
