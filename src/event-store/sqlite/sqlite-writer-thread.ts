import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HmacChainSealer } from '../../audit/event-seal.js';
import { StoreUnavailableError, type AppendOptions, type AppendResult, type NewEvent, type RecordedEvent } from '../event-store.port.js';
import { prepareAppend, type QueuedEvent } from '../group-commit.js';
import type { LogTip } from './sqlite-connection.js';
import { rowToEvent } from './sqlite-rows.js';
import { fromWire, RESULT_OK, type FromWriter, type ToWriter, type WireError, type WriterThreadData } from './sqlite-writer-protocol.js';
import type { ImportRow, RedactionRow } from './sqlite-writer.js';

/** What the store gives its writer thread: where committed events go, and what it has delivered. */
export interface WriterThreadHost {
  /**
   * Hands committed events (other processes' rows found before a batch, then the batch) to subscribers,
   * in position order, before any writer is answered. Events the store delivered already (through its
   * own catchUp or poll) may be among them: the host drops those.
   */
  deliver(events: readonly RecordedEvent[]): void;
  /** The last event the store has delivered: the thread reports rows after it as a gap. */
  tip(): LogTip;
  /**
   * Called as each batch's answer arrives, before delivery: the store checks that its own (read)
   * connection is still on the file at `path`, as the thread checked for its write connection, so reads
   * follow a moved or replaced file as soon as writes do. Never throws.
   */
  checkFile(): void;
}

interface PendingAppend {
  readonly stream: string;
  readonly events: readonly QueuedEvent[];
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

interface PendingJob {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Where the compiled thread is: beside this module (dist/, or the bench's build), else — when this
 * module runs from the TypeScript sources, as under jest — in the build under dist/ (`npm run build`).
 */
const workerUrl = (): URL => {
  const beside = new URL('./sqlite-writer.worker.js', import.meta.url);
  if (existsSync(beside)) return beside;
  const at = beside.pathname.lastIndexOf('/src/');
  const built = at === -1 ? null : new URL(`file://${beside.pathname.slice(0, at)}/dist/${beside.pathname.slice(at + '/src/'.length)}`);
  if (built !== null && existsSync(built)) return built;
  throw new StoreUnavailableError(`the SQLite writer thread's code is missing (${fileURLToPath(beside)}): build Strongroom (npm run build)`);
};

/**
 * The event loop's side of the SQLite writer thread (sqlite-writer.worker.ts), which owns the store's
 * write connection and runs the group-commit core there. Here, each append is checked, serialised and
 * digested (prepareAppend, as the core does it in-process), and the appends of one turn of the event
 * loop are posted to the thread together as one flat array; the thread answers per batch, and the
 * events it committed are rebuilt here from the callers' own events (no payload travels back), handed
 * to the subscribers, and only then are the callers answered. An append answers only once its batch is
 * durable; when the thread fails or stops before answering, the outcome is unknown and the append is
 * rejected with STORE_UNAVAILABLE saying so.
 *
 * The thread starts with the first write (a read-only process never pays for it) and holds the process
 * open only while a write is waiting for it. `close()` lets it commit what was posted, close its
 * connection and stop.
 */
export class SqliteWriterThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly appends = new Map<number, PendingAppend>();
  private readonly jobs = new Map<number, PendingJob>();
  private outbox: (string | number)[] = [];
  private flushScheduled = false;
  private sentKey: Buffer | undefined;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly path: string,
    private readonly sealer: HmacChainSealer,
    private readonly host: WriterThreadHost,
  ) {}

  /** The port's appendToStream, through the thread. */
  append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closing !== null) return Promise.reject(new StoreUnavailableError('the event store is closed'));
    let queued: readonly QueuedEvent[];
    try {
      queued = prepareAppend(stream, events).events;
      this.started();
    } catch (e) {
      return Promise.reject(e);
    }
    const id = this.nextId++;
    const out = this.outbox;
    out.push(id, stream, options.expectedRevision, queued.length);
    for (const e of queued) out.push(e.type, e.schemaVersion, e.dataJson, e.metadataJson, e.digest);
    return new Promise<AppendResult>((resolve, reject) => {
      this.appends.set(id, { stream, events: queued, resolve, reject });
      this.holdOpen();
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** EventStore.importRecorded through the thread, between its batches. */
  importRows(rows: readonly ImportRow[]): Promise<void> {
    return this.job((id) => ({ k: 'import', id, rows }));
  }

  /** EventStore.redact through the thread, between its batches. */
  redact(rows: readonly RedactionRow[]): Promise<void> {
    return this.job((id) => ({ k: 'redact', id, rows }));
  }

  /** Lets the thread commit everything posted, close its connection and stop; resolves once it has. */
  close(): Promise<void> {
    this.closing ??= this.stop();
    return this.closing;
  }

  private async stop(): Promise<void> {
    const worker = this.worker;
    if (worker === null) return;
    this.flush();
    worker.ref();
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ k: 'close' } satisfies ToWriter);
    await exited;
  }

  private job(message: (id: number) => ToWriter): Promise<void> {
    if (this.closing !== null) return Promise.reject(new StoreUnavailableError('the event store is closed'));
    try {
      this.started();
    } catch (e) {
      return Promise.reject(e);
    }
    const id = this.nextId++;
    // Whatever was appended before goes first: the thread runs its messages in order.
    this.flush();
    return new Promise<void>((resolve, reject) => {
      this.jobs.set(id, { resolve, reject });
      this.holdOpen();
      this.send(message(id));
    });
  }

  private started(): Worker {
    if (this.worker !== null) return this.worker;
    const workerData: WriterThreadData = { path: this.path, tip: this.host.tip() };
    const worker = new Worker(workerUrl(), { workerData });
    worker.on('message', (message: FromWriter) => this.receive(message));
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', () => this.lost(worker, null));
    this.worker = worker;
    this.sentKey = undefined;
    return worker;
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.outbox.length === 0) return;
    const flat = this.outbox;
    this.outbox = [];
    this.send({ k: 'appends', flat, tip: this.host.tip() });
  }

  private send(message: ToWriter): void {
    const worker = this.worker as Worker;
    // The thread seals the chain: it needs the audit key, which arrives after start-up (useKey).
    const key = this.sealer.exportKey();
    if (key !== undefined && key !== this.sentKey) {
      worker.postMessage({ k: 'key', key } satisfies ToWriter);
      this.sentKey = key;
    }
    worker.postMessage(message);
  }

  private receive(message: FromWriter): void {
    if (message.k === 'batch') {
      this.host.checkFile();
      this.settleBatch(message.gap.map(rowToEvent), message.results, message.errors);
    } else if (message.k === 'done') {
      const job = this.jobs.get(message.id);
      this.jobs.delete(message.id);
      if (message.error === undefined) job?.resolve();
      else job?.reject(fromWire(message.error));
    } else void this.worker?.terminate();
    this.holdOpen();
  }

  /** Rebuilds what the batch committed from the callers' events, delivers it, then answers each caller. */
  private settleBatch(gap: RecordedEvent[], results: readonly (string | number)[], errors: readonly WireError[]): void {
    const committed = gap;
    const answers: { pending: PendingAppend; result: AppendResult | null; error: unknown }[] = [];
    let i = 0;
    while (i < results.length) {
      const pending = this.appends.get(results[i] as number) as PendingAppend;
      this.appends.delete(results[i] as number);
      if (results[i + 1] !== RESULT_OK) {
        answers.push({ pending, result: null, error: fromWire(errors[results[i + 2] as number] as WireError) });
        i += 3;
        continue;
      }
      const next = results[i + 2] as number;
      const position = results[i + 3] as number;
      const n = pending.events.length;
      const mine: RecordedEvent[] = new Array<RecordedEvent>(n);
      for (let j = 0; j < n; j++) {
        const e = pending.events[j] as QueuedEvent;
        mine[j] = { ...e.source, stream: pending.stream, revision: next - n + 1 + j, position: position - n + 1 + j, digest: e.digest, hash: results[i + 4 + j] as string };
      }
      for (const e of mine) committed.push(e);
      answers.push({ pending, result: { nextExpectedRevision: next, position, events: mine }, error: null });
      i += 4 + n;
    }
    // Subscribers first (a synchronous handler applies before the writers' promises resolve), then writers.
    if (committed.length > 0) {
      try {
        this.host.deliver(committed);
      } catch (e) {
        // Durable already: a failing delivery is the subscription's problem, not the writers'.
        process.emitWarning(`event-store delivery failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    for (const a of answers) {
      if (a.result !== null) a.pending.resolve(a.result);
      else a.pending.reject(a.error);
    }
  }

  /** The thread stopped (closed, or failed): whatever it had not answered has an unknown outcome. */
  private lost(worker: Worker, error: Error | null): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const pending = [...this.appends.values(), ...this.jobs.values()];
    this.appends.clear();
    this.jobs.clear();
    this.outbox = [];
    if (pending.length === 0) return;
    const reason = error === null ? 'stopped' : `failed (${error.message})`;
    const unknown = new StoreUnavailableError(`the SQLite writer thread ${reason} before answering; this write may or may not be committed`, { cause: error ?? undefined });
    for (const p of pending) p.reject(unknown);
  }

  /**
   * The thread keeps the process alive only while a write waits for it (like a pending fsync would), or
   * while `close()` waits for it to stop.
   */
  private holdOpen(): void {
    const worker = this.worker;
    if (worker === null) return;
    if (this.appends.size + this.jobs.size > 0 || this.closing !== null) worker.ref();
    else worker.unref();
  }
}
