import { ErrorCode, StrongroomError } from '../shared/errors.js';

/**
 * The one event-store port. Every adapter (SQLite, PostgreSQL, KurrentDB) implements it and passes the
 * same contract suite (test/event-store/contract.ts).
 *
 * Streams are named `<category>-<id>` (or just `<category>`); the category is the text before the
 * first '-'. Categories let start-up skip high-volume history (access events) entirely.
 */

/** Who did it, through what, when. Time comes from the injected clock, never `new Date()` in the domain. */
export interface EventMetadata {
  /** The principal's name (older events: `token:<hash prefix>`, `local:<user>`). */
  readonly actor: string;
  /** service | person | local | system (absent on events written before principals existed). */
  readonly actorKind?: string;
  /** The token that authenticated the request, when one did. */
  readonly tokenId?: string;
  readonly interface: 'library' | 'http' | 'cli' | 'bus' | 'system';
  readonly correlationId: string;
  /** The caller's idempotency key, when it sent one: a retried command finds its first result by it. */
  readonly idempotencyKey?: string;
  /** ISO-8601 UTC. */
  readonly occurredAt: string;
}

/** An event as the domain produces it: plain data, a stable type string and a schema version. */
export interface NewEvent<Type extends string = string, Data extends object = Record<string, unknown>> {
  readonly type: Type;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/** An event as the store committed it. */
export interface RecordedEvent<Type extends string = string, Data extends object = Record<string, unknown>>
  extends NewEvent<Type, Data> {
  readonly stream: string;
  /** 0-based position of the event within its stream. */
  readonly revision: number;
  /** 1-based global position, strictly increasing in commit order, no gaps a reader can skip past. */
  readonly position: number;
  /** Hex SHA-256 of the payload exactly as stored (see EventSealer). */
  readonly digest: string;
  /** Hex HMAC chaining this event to the one before it in global order. */
  readonly hash: string;
}

/** Closed union, as in Emmett / KurrentDB: a revision number, or a condition on the stream's existence. */
export type ExpectedRevision = number | 'any' | 'no_stream' | 'stream_exists';

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last appended event: pass it as expectedRevision for the next append. */
  readonly nextExpectedRevision: number;
  /** Global position of the last appended event. */
  readonly position: number;
  readonly events: readonly RecordedEvent[];
}

export interface ReadStreamOptions {
  /** Inclusive, default 0. */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive global position; default 0 (from the beginning). */
  readonly from?: number;
  /** Page size; adapters may cap it. Default 10_000. */
  readonly maxCount?: number;
  /** Only these categories (default: all). */
  readonly categories?: readonly string[];
}

export interface SubscribeOptions {
  /** Exclusive global position to catch up from. */
  readonly from: number;
  readonly categories?: readonly string[];
}

/**
 * Receives committed events in global order, never skipping one; a batch at a time. `checkpoint` is the
 * global position through which the subscription has looked (>= the last event's position): with a
 * category filter it lets a follower know it has passed positions of events it does not receive.
 */
export type SubscriptionHandler = (events: readonly RecordedEvent[], checkpoint: number) => void | Promise<void>;

export interface Subscription {
  close(): Promise<void>;
}

export interface EventStore {
  appendToStream(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /** Events of one stream in revision order; [] when the stream does not exist. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** One page of the global log in position order after `from`; [] at the end. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catches up from `from`, then delivers newly committed events as they commit. */
  subscribe(options: SubscribeOptions, handler: SubscriptionHandler): Subscription;
  /** Global position of the last committed event (0 when empty). */
  headPosition(): Promise<number>;
  /**
   * Delivers to this store's live subscribers every event that any process had committed before the
   * call, then resolves with the head position. Cheap when nothing changed.
   *
   * Precisely: let H be the global position of the last event committed (by this or any other process
   * or replica sharing the backing store) when the call begins. When the promise resolves, every
   * subscription of this store that was open at the call has been handed every event through H, in
   * order and exactly once (a synchronous handler has applied them; an asynchronous one has been called
   * with them), subscriptions still catching up included; the value is H or a later head. Without
   * subscribers it simply returns the head. Call it before serving a request that must see writes made
   * elsewhere (another process on the same SQLite file, another replica): afterwards, a projection fed
   * by a synchronous subscription reflects them.
   *
   * Rejects with StoreUnavailableError when the store cannot be read, when the store is closed, or when
   * the delivery does not complete within the adapter's bound (default 5 s); nothing is delivered twice
   * either way, and a later call simply continues.
   */
  catchUp(): Promise<number>;
  /**
   * Copies events recorded by another store verbatim (positions, revisions, digests and hashes kept),
   * for `strongroom store copy`. The first event must follow this store's head exactly; nothing is
   * re-sealed, so the copy verifies with the same audit key.
   */
  importRecorded(events: readonly RecordedEvent[]): Promise<void>;
  /**
   * Replaces the stored `data` of committed events with a redacted form (a destroyed secret's
   * ciphertext removed, see src/audit/redaction.ts). Digest, hash, metadata, position and revision are
   * kept, so the chain still verifies, and the redaction is recorded by the destroy event that names
   * it. Idempotent. Live subscribers are not told (they applied the event already; the destroy event
   * that follows tells them what they need). Adapters over an immutable log (KurrentDB) throw
   * NOT_IMPLEMENTED.
   */
  redact(redactions: readonly RedactedPayload[]): Promise<void>;
  close(): Promise<void>;
}

/** The new `data` of the event at `position`. */
export interface RedactedPayload {
  readonly position: number;
  readonly data: Record<string, unknown>;
}

/** The one conflict error every adapter raises on a failed expected-revision check. */
export class ExpectedRevisionConflictError extends StrongroomError {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(ErrorCode.RevisionConflict, `stream ${stream}: expected revision ${String(expected)}, found ${String(actual)}`, {
      stream,
      expected,
      actual,
    });
    this.name = 'ExpectedRevisionConflictError';
  }
}

/** Adapters raise this when the backend cannot be reached or fails mid-write; nothing was committed. */
export class StoreUnavailableError extends StrongroomError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.StoreUnavailable, message, {}, options);
    this.name = 'StoreUnavailableError';
  }
}

export const categoryOf = (stream: string): string => {
  const dash = stream.indexOf('-');
  return dash === -1 ? stream : stream.slice(0, dash);
};

/** Checks an expected revision against the current one (-1 = no stream). Shared by every adapter. */
export const checkExpectedRevision = (stream: string, expected: ExpectedRevision, current: number): void => {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === -1) ||
    (expected === 'stream_exists' && current !== -1) ||
    expected === current;
  if (!ok) throw new ExpectedRevisionConflictError(stream, expected, current === -1 ? 'no_stream' : current);
};
