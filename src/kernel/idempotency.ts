import { createHash } from 'node:crypto';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import type { Caller } from './caller.js';
import type { EventLog } from './tokens.js';
import type { WritePath } from './write-path.js';

/**
 * Idempotency keys (DESIGN.md section 10): a command sent with a key (HTTP `Idempotency-Key`, the bus's
 * `idempotency-key` header, a queued command's key) acts once. Its first success is recorded in the log
 * as `IdempotentCommandCompleted` on a stream of its own, named after the principal and the key; a
 * command with the same key by the same principal is then answered that first result without acting.
 *
 * What is recorded: the use case, a digest of the input without its value (a hash of a low-entropy
 * secret could be guessed, so values are left out), and the result as JSON without any `token` field
 * (a token is shown once; the replayed answer of CreateToken / RotateToken lacks it). Failures are not
 * recorded: a command that failed (503, a conflict) runs again when retried.
 *
 * Limits, stated: two deliveries of one key at the same moment on two replicas may both act (in one
 * process the second waits for the first); a crash after the command's events and before the record
 * leaves the key unrecorded (the command's events carry the key in their metadata, so it is visible in
 * the log). A JetStream work queue redelivers only after its ack wait, so neither is its normal case.
 */
export const IDEMPOTENCY_SCHEMA_VERSIONS: Readonly<Record<string, number>> = { IdempotentCommandCompleted: 1 };

export const IDEMPOTENCY_CATEGORY = 'idempotency';

export interface IdempotentCommandCompletedData {
  readonly useCase: string;
  /** Hex SHA-256 of the input without its value: the same key sent with another command is refused. */
  readonly inputDigest: string;
  readonly result: unknown;
}

const idempotencyStream = (caller: Caller, key: string): string =>
  `${IDEMPOTENCY_CATEGORY}-${createHash('sha256').update(`${caller.principal.kind}\u0000${caller.principal.name}\u0000${key}`, 'utf8').digest('hex').slice(0, 32)}`;

/** Fields of an input that are never digested (values and their sources) or cannot be (callbacks). */
const UNDIGESTED: ReadonlySet<string> = new Set(['value', 'valueBase64', 'generate', 'onProgress', 'onStep']);

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value instanceof Uint8Array ? null : value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k, v]) => !UNDIGESTED.has(k) && typeof v !== 'function' && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, canonical(v)]),
  );
};

const digestOf = (useCase: string, input: unknown): string => createHash('sha256').update(JSON.stringify([useCase, canonical(input)]), 'utf8').digest('hex');

/** The result as the log may hold it: plain JSON, no `token` anywhere. */
const storable = (result: unknown): unknown => JSON.parse(JSON.stringify(result ?? null, (key, value: unknown) => (key === 'token' ? undefined : value))) as unknown;

export class IdempotencyLog {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly log: Pick<EventLog, 'readStream'>,
    private readonly writePath: WritePath,
  ) {}

  /**
   * Runs `run` once per (principal, key): the first result, recorded, for every later call.
   * @throws INVALID_INPUT when the key was used for another use case or another input.
   */
  async once<R>(useCase: string, input: unknown, caller: Caller, key: string, run: () => Promise<R>): Promise<R> {
    const stream = idempotencyStream(caller, key);
    const running = this.inFlight.get(stream);
    if (running) {
      await running.catch(() => undefined);
    }
    const work = this.runOnce(stream, useCase, input, caller, run);
    this.inFlight.set(stream, work);
    try {
      return await work;
    } finally {
      if (this.inFlight.get(stream) === work) this.inFlight.delete(stream);
    }
  }

  private async runOnce<R>(stream: string, useCase: string, input: unknown, caller: Caller, run: () => Promise<R>): Promise<R> {
    const inputDigest = digestOf(useCase, input);
    const first = (await this.log.readStream(stream)).find((e) => e.type === 'IdempotentCommandCompleted');
    if (first) {
      const data = first.data as unknown as IdempotentCommandCompletedData;
      if (data.useCase !== useCase || data.inputDigest !== inputDigest) {
        throw new StrongroomError(ErrorCode.InvalidInput, 'this idempotency key was already used for a different command; use a new key for a new command');
      }
      return data.result as R;
    }
    const result = await run();
    const data: IdempotentCommandCompletedData = { useCase, inputDigest, result: storable(result) };
    await this.writePath.record(stream, [{ type: 'IdempotentCommandCompleted', data }], IDEMPOTENCY_SCHEMA_VERSIONS, caller, false);
    return result;
  }
}
