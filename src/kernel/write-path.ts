import { ExpectedRevisionConflictError, type EventStore, type ExpectedRevision, type RedactedPayload } from '../event-store/event-store.port.js';
import type { Clock } from '../shared/clock.js';
import { ErrorCode, isStrongroomError, StrongroomError } from '../shared/errors.js';
import type { Caller } from './caller.js';
import { metadataOf, toNewEvents, type DecidedEvent } from './new-events.js';

/** What the write path needs of the projection: how far it has applied the log, and a way to wait. */
export interface PositionTracker {
  readonly position: number;
  /** Resolves once `position` is applied; rejects with STORE_UNAVAILABLE after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<void>;
}

/** A write decided on a stream's current state (Emmett's decider shape, with the state read from the projection). */
export interface DecidedWrite<State extends { readonly revision: number }> {
  readonly stream: string;
  /** The stream's state as this process's projection holds it now; -1 revision = no stream yet. */
  readonly state: () => State;
  /** Pure: the events to append, [] for nothing to do; throws a StrongroomError to refuse. */
  readonly decide: (state: State) => readonly DecidedEvent[];
  readonly schemaVersions: Readonly<Record<string, number>>;
  /** `fail`: a revision conflict is thrown at once (initialising an empty store: the winner's state is used). */
  readonly onConflict?: 'retry' | 'fail';
}

export interface WriteOutcome<State> {
  /** Global position of the last appended event (or of the projection, when nothing was appended). */
  readonly position: number;
  /** The stream's state once this process's projection has applied the write. */
  readonly state: State;
  readonly appended: boolean;
}

export interface WritePathOptions {
  /** How long an append waits for this process's projection to apply it (ms). */
  readonly applyTimeoutMs: number;
  /** How long an unconditional write keeps retrying against other processes' writes before 503 (ms). */
  readonly writeDeadlineMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The one place events are appended (DESIGN.md section 2): commands, audited reads' access events, key
 * events, denials and initialisation all come through here, and only the pipeline and start-up hold it.
 *
 * A write decided on the projection's state is appended at that state's revision. Within this process,
 * writes to one stream run one at a time, so they never race each other into conflicts (issue: seven
 * parallel unconditional PUTs answered 409). A conflict then means another process or replica wrote
 * first: catch up to the store's head, decide again, and keep going until the write lands or the
 * deadline passes (503, never 409). A refusal by `decide` on a possibly stale view (a check-and-set
 * that looks lost) is re-decided once after catching up, so no caller is refused on a stale view.
 */
export class WritePath {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    private readonly store: EventStore,
    private readonly positions: PositionTracker,
    private readonly clock: Clock,
    private readonly options: WritePathOptions,
  ) {}

  async write<State extends { readonly revision: number }>(write: DecidedWrite<State>, caller: Caller): Promise<WriteOutcome<State>> {
    return this.oneAtATime(write.stream, () => this.decideAndAppend(write, caller));
  }

  /**
   * Events that need no decision on a stream's state (an access, a denial, a per-secret failure):
   * appended at any revision. Resolves with the position once durable and, with `wait`, applied here.
   */
  async record(stream: string, events: readonly DecidedEvent[], schemaVersions: Readonly<Record<string, number>>, caller: Caller, wait = true): Promise<number> {
    const { position } = await this.store.appendToStream(stream, toNewEvents(events, schemaVersions, metadataOf(caller, this.clock)), {
      expectedRevision: 'any',
    });
    if (wait) await this.positions.waitFor(position, this.options.applyTimeoutMs);
    return position;
  }

  /**
   * Events appended at exactly `expectedRevision`, not waited for by the projection: for streams whose
   * state is read from the log itself (the idempotency keys' claims), where the revision check is the lock.
   * @throws ExpectedRevisionConflictError (REVISION_CONFLICT) when the stream moved on; nothing is written.
   */
  async appendAt(stream: string, events: readonly DecidedEvent[], schemaVersions: Readonly<Record<string, number>>, caller: Caller, expectedRevision: ExpectedRevision): Promise<number> {
    const { position } = await this.store.appendToStream(stream, toNewEvents(events, schemaVersions, metadataOf(caller, this.clock)), { expectedRevision });
    return position;
  }

  /**
   * Redacts payloads a destroy event already recorded (EventStore.redact): the only change ever made to
   * a committed event, and only after the event naming it is durable.
   */
  async redact(redactions: readonly RedactedPayload[]): Promise<void> {
    await this.store.redact(redactions);
  }

  /**
   * Waits until this process has applied everything any process committed to the store so far: the
   * store delivers what this process has not seen (EventStore.catchUp), then the projection applies it.
   */
  async catchUp(): Promise<void> {
    await this.positions.waitFor(await this.store.catchUp(), this.options.applyTimeoutMs);
  }

  private async decideAndAppend<State extends { readonly revision: number }>(write: DecidedWrite<State>, caller: Caller): Promise<WriteOutcome<State>> {
    const deadline = Date.now() + this.options.writeDeadlineMs;
    let caughtUpAfterRefusal = false;
    for (let attempt = 1; ; attempt++) {
      const state = write.state();
      let events: readonly DecidedEvent[];
      try {
        events = write.decide(state);
      } catch (e) {
        if (caughtUpAfterRefusal || !isStrongroomError(e) || !REDECIDE_AFTER_CATCH_UP.has(e.code)) throw e;
        caughtUpAfterRefusal = true;
        await this.catchUp();
        continue;
      }
      if (events.length === 0) return { position: this.positions.position, state, appended: false };
      try {
        const { position } = await this.store.appendToStream(write.stream, toNewEvents(events, write.schemaVersions, metadataOf(caller, this.clock)), {
          expectedRevision: state.revision === -1 ? 'no_stream' : state.revision,
        });
        await this.positions.waitFor(position, this.options.applyTimeoutMs);
        return { position, state: write.state(), appended: true };
      } catch (e) {
        if (!(e instanceof ExpectedRevisionConflictError) || write.onConflict === 'fail') throw e;
        if (Date.now() >= deadline) {
          throw new StrongroomError(
            ErrorCode.StoreUnavailable,
            `the write to ${write.stream} did not land within ${this.options.writeDeadlineMs} ms: other writers kept changing it; nothing was written, retry later`,
            { attempts: attempt },
          );
        }
        // The winning write is committed, so it is at or below the head: wait for it, not a timer; a
        // short growing random pause keeps replicas that collide from colliding again in lockstep.
        await this.catchUp();
        if (attempt > 1) await sleep(Math.random() * Math.min(50, 2 ** attempt));
      }
    }
  }

  /** Runs `work` after every earlier write to `stream` in this process has settled. */
  private async oneAtATime<T>(stream: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(stream) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(stream, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(stream) === tail) this.tails.delete(stream);
    }
  }
}

/**
 * Refusals that may come from a stale view of another process's writes: a version that looks wrong, a
 * secret that looks missing. They are decided again once this process has caught up with the store.
 */
const REDECIDE_AFTER_CATCH_UP: ReadonlySet<string> = new Set([ErrorCode.VersionConflict, ErrorCode.SecretNotFound]);
