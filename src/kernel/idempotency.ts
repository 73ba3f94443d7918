import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { ExpectedRevisionConflictError, type RecordedEvent } from '../event-store/event-store.port.js';
import { ErrorCode, isStrongroomError, StrongroomError } from '../shared/errors.js';
import type { Caller } from './caller.js';
import type { EventLog } from './tokens.js';
import type { WritePath } from './write-path.js';

/**
 * Idempotency keys (DESIGN.md section 10): a command sent with a key (HTTP `Idempotency-Key`, the bus's
 * `idempotency-key` header, a queued command's key) acts at most once, on every replica. Each
 * (principal, key) has a stream of its own in the log, and the log's revision check is the lock:
 *
 *   IdempotentCommandStarted    a claim, appended only at the stream's expected revision, so of two
 *                               deliveries racing on two replicas exactly one claims; it holds a lease
 *   IdempotentCommandCompleted  the first success: use case, input digest, result; every later command
 *                               with the key is answered this without acting
 *   IdempotentCommandReleased   the claimed command failed (a 503, a conflict): a retry may run again
 *
 * A delivery that finds a live claim waits for the claim's outcome (within the lease). One that finds a
 * claim whose lease ran out (its process stopped) does not simply run again: the command's own events
 * carry the key in their metadata, so the log after the claim is searched for them. Found, the command
 * acted but its result was never recorded: IDEMPOTENCY_KEY_IN_DOUBT, never a second action. Not found, it
 * never acted: the delivery claims the key itself and runs.
 *
 * What is recorded: the use case, a MAC of the whole input, value included (HMAC-SHA-256 under a key
 * derived from the store's audit key, so a low-entropy secret cannot be guessed from the log by hashing
 * candidates), and the result as JSON without any `token` field (a token is shown once; the replayed
 * answer of CreateToken / RotateToken lacks it). The same key sent with another value is refused, never
 * answered the first value's result. Records written before the MAC (`keyed` absent) hold a plain digest
 * of the input without its value, and are compared that way.
 *
 * Cost: a keyed command makes two more appends than an unkeyed one (claim, record); group commit shares
 * their fsyncs with other writers'.
 */
export const IDEMPOTENCY_SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  IdempotentCommandStarted: 1,
  IdempotentCommandCompleted: 1,
  IdempotentCommandReleased: 1,
};

export const IDEMPOTENCY_CATEGORY = 'idempotency';

export interface IdempotentCommandStartedData {
  readonly useCase: string;
  /** As in IdempotentCommandCompletedData. */
  readonly inputDigest: string;
  readonly keyed?: true;
  /** How long the claim holds before another delivery may look into it (ms). */
  readonly leaseMs: number;
}

export interface IdempotentCommandCompletedData {
  readonly useCase: string;
  /**
   * With `keyed`: hex HMAC-SHA-256 of the whole input (see idempotencyMacKey). Without (older records):
   * hex SHA-256 of the input without its value. The same key sent with another input is refused.
   */
  readonly inputDigest: string;
  readonly keyed?: true;
  readonly result: unknown;
}

export interface IdempotentCommandReleasedData {
  readonly useCase: string;
  /** The error code the claimed command failed with (no message: messages are for the caller). */
  readonly code: string;
}

export interface IdempotencyOptions {
  /** The key of input MACs (idempotencyMacKey of the audit key). */
  readonly macKey: Buffer;
  /** How long a claim holds (ms); default 30,000, JetStream's default ack wait. */
  readonly leaseMs?: number;
  /** The time now (ms since the epoch), from the runtime's clock. */
  readonly now: () => number;
}

const DEFAULT_LEASE_MS = 30_000;
/** Pauses between looks at a claim another delivery holds (ms): short first, then up to the cap. */
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 500;
/** Page size when searching the log after a lapsed claim for the command's own events. */
const SEARCH_PAGE = 5_000;

const idempotencyStream = (caller: Caller, key: string): string =>
  `${IDEMPOTENCY_CATEGORY}-${createHash('sha256').update(`${caller.principal.kind}\u0000${caller.principal.name}\u0000${key}`, 'utf8').digest('hex').slice(0, 32)}`;

/** Fields a legacy digest left out (values and their sources) or that cannot be digested (callbacks). */
const UNDIGESTED: ReadonlySet<string> = new Set(['value', 'valueBase64', 'generate', 'onProgress', 'onStep']);

/** JSON of `value` with sorted keys; bytes as base64; callbacks and undefined left out; `skip` fields dropped. */
const canonical = (value: unknown, skip: ReadonlySet<string>): unknown => {
  if (Array.isArray(value)) return value.map((v) => canonical(v, skip));
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('base64') };
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k, v]) => !skip.has(k) && typeof v !== 'function' && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, canonical(v, skip)]),
  );
};

const CALLBACKS: ReadonlySet<string> = new Set(['onProgress', 'onStep']);
const HKDF_INFO = 'strongroom idempotency input mac v1';

/** The key of idempotency input MACs, derived (HKDF-SHA-256, RFC 5869) from the audit key, so it is not the key that seals the chain. */
export const idempotencyMacKey = (auditKey: Buffer): Buffer => Buffer.from(hkdfSync('sha256', auditKey, Buffer.alloc(0), HKDF_INFO, 32));

const macOf = (key: Buffer, useCase: string, input: unknown): string => createHmac('sha256', key).update(JSON.stringify([useCase, canonical(input, CALLBACKS)]), 'utf8').digest('hex');

/** Records written before input MACs: a plain digest of the input without its value. */
const legacyDigestOf = (useCase: string, input: unknown): string =>
  createHash('sha256').update(JSON.stringify([useCase, canonical(input, UNDIGESTED)]), 'utf8').digest('hex');

/** The result as the log may hold it: plain JSON, no `token` anywhere. */
const storable = (result: unknown): unknown => JSON.parse(JSON.stringify(result ?? null, (key, value: unknown) => (key === 'token' ? undefined : value))) as unknown;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A key's stream folded: its revision, its recorded result, and the claim in force if any. */
interface KeyState {
  readonly revision: number;
  readonly completed: IdempotentCommandCompletedData | null;
  readonly claim: { readonly data: IdempotentCommandStartedData; readonly position: number; readonly at: number } | null;
}

const foldKey = (events: readonly RecordedEvent[]): KeyState => {
  let completed: KeyState['completed'] = null;
  let claim: KeyState['claim'] = null;
  for (const e of events) {
    if (e.type === 'IdempotentCommandCompleted' && completed === null) completed = e.data as unknown as IdempotentCommandCompletedData;
    else if (e.type === 'IdempotentCommandStarted') claim = { data: e.data as unknown as IdempotentCommandStartedData, position: e.position, at: Date.parse(e.metadata.occurredAt) };
    else if (e.type === 'IdempotentCommandReleased') claim = null;
  }
  return { revision: events.length === 0 ? -1 : (events.at(-1)?.revision ?? -1), completed, claim };
};

const refuseOtherCommand = (): never => {
  throw new StrongroomError(ErrorCode.InvalidInput, 'this idempotency key was already used for a different command; use a new key for a new command');
};

export class IdempotencyLog {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly leaseMs: number;

  constructor(
    private readonly log: Pick<EventLog, 'readStream' | 'readAll'>,
    private readonly writePath: WritePath,
    private readonly options: IdempotencyOptions,
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /**
   * Runs `run` at most once per (principal, key), on any replica: the first result, recorded, for every
   * later call.
   * @throws INVALID_INPUT when the key was used for another use case or another input.
   * @throws IDEMPOTENCY_KEY_IN_DOUBT when an earlier delivery acted and stopped before recording its result.
   * @throws whatever `run` throws (the claim is then released, so a retry runs again).
   */
  async once<R>(useCase: string, input: unknown, caller: Caller, key: string, run: () => Promise<R>): Promise<R> {
    const stream = idempotencyStream(caller, key);
    // In one process, deliveries of a key queue here instead of polling the log for each other.
    const running = this.inFlight.get(stream);
    if (running) {
      await running.catch(() => undefined);
    }
    const work = this.runOnce(stream, useCase, input, caller, key, run);
    this.inFlight.set(stream, work);
    try {
      return await work;
    } finally {
      if (this.inFlight.get(stream) === work) this.inFlight.delete(stream);
    }
  }

  private async runOnce<R>(stream: string, useCase: string, input: unknown, caller: Caller, key: string, run: () => Promise<R>): Promise<R> {
    const inputDigest = macOf(this.options.macKey, useCase, input);
    const same = (d: { useCase: string; inputDigest: string; keyed?: true }): boolean =>
      d.useCase === useCase && (d.keyed === true ? d.inputDigest === inputDigest : d.inputDigest === legacyDigestOf(useCase, input));
    let pause = FIRST_POLL_MS;
    for (;;) {
      const state = foldKey(await this.log.readStream(stream));
      if (state.completed) return same(state.completed) ? (state.completed.result as R) : refuseOtherCommand();
      if (state.claim) {
        if (!same(state.claim.data)) refuseOtherCommand();
        if (this.options.now() < state.claim.at + state.claim.data.leaseMs) {
          // Another delivery (another replica) holds the key: wait for its outcome.
          await sleep(pause);
          pause = Math.min(MAX_POLL_MS, pause * 2);
          continue;
        }
        await this.refuseIfActed(state.claim.position, caller, key);
      }
      let claimRevision: number;
      try {
        const data: IdempotentCommandStartedData = { useCase, inputDigest, keyed: true, leaseMs: this.leaseMs };
        await this.writePath.appendAt(stream, [{ type: 'IdempotentCommandStarted', data }], IDEMPOTENCY_SCHEMA_VERSIONS, caller, state.revision === -1 ? 'no_stream' : state.revision);
        claimRevision = state.revision + 1;
      } catch (e) {
        if (e instanceof ExpectedRevisionConflictError) continue; // another delivery claimed first: look again
        throw e;
      }
      return this.runClaimed(stream, useCase, inputDigest, caller, claimRevision, run);
    }
  }

  private async runClaimed<R>(stream: string, useCase: string, inputDigest: string, caller: Caller, claimRevision: number, run: () => Promise<R>): Promise<R> {
    let result: R;
    try {
      result = await run();
    } catch (e) {
      const released: IdempotentCommandReleasedData = { useCase, code: isStrongroomError(e) ? e.code : 'INTERNAL' };
      // If even this cannot be written (the store went away), the claim lapses with its lease.
      await this.writePath.appendAt(stream, [{ type: 'IdempotentCommandReleased', data: released }], IDEMPOTENCY_SCHEMA_VERSIONS, caller, claimRevision).catch(() => undefined);
      throw e;
    }
    const completed: IdempotentCommandCompletedData = { useCase, inputDigest, keyed: true, result: storable(result) };
    const record = [{ type: 'IdempotentCommandCompleted', data: completed }];
    try {
      await this.writePath.appendAt(stream, record, IDEMPOTENCY_SCHEMA_VERSIONS, caller, claimRevision);
    } catch (e) {
      // Another delivery took the key over while this command outlived its lease before writing anything.
      // This command did act, so its answer stands and is recorded; readers take the first record.
      if (!(e instanceof ExpectedRevisionConflictError)) throw e;
      await this.writePath.appendAt(stream, record, IDEMPOTENCY_SCHEMA_VERSIONS, caller, 'any');
    }
    return result;
  }

  /**
   * After a lapsed claim: did the claimed command write anything? Its events carry the key and the
   * principal in their metadata, after the claim's position (the key's own stream aside).
   * @throws IDEMPOTENCY_KEY_IN_DOUBT when it did.
   */
  private async refuseIfActed(claimPosition: number, caller: Caller, key: string): Promise<void> {
    for (let from = claimPosition; ; ) {
      const page = await this.log.readAll({ from, maxCount: SEARCH_PAGE });
      const acted = page.find(
        (e) =>
          e.metadata.idempotencyKey === key &&
          e.metadata.actor === caller.principal.name &&
          e.metadata.actorKind === caller.principal.kind &&
          !e.stream.startsWith(`${IDEMPOTENCY_CATEGORY}-`),
      );
      if (acted) {
        throw new StrongroomError(
          ErrorCode.IdempotencyKeyInDoubt,
          `a command sent earlier with this idempotency key acted (its first event is at log position ${acted.position}) but stopped before recording its result; it is not run again. Check the log, then use a new key to act again`,
          { position: acted.position },
        );
      }
      const last = page.at(-1);
      if (!last) return;
      from = last.position;
    }
  }
}
