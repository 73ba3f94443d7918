import { randomUUID } from 'node:crypto';
import type { TokenAuthenticator } from '../../access/token-authenticator.js';
import type { Caller } from '../../kernel/caller.js';
import type { Pipeline } from '../../kernel/pipeline.js';
import type { UseCase } from '../../kernel/use-case.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import { bearerTokenFrom, idempotencyKeyFrom, minPositionFrom, SANE_REQUEST_ID } from '../request-headers.js';
import { toBusError, type BusReply } from './bus-error.js';
import { busInput, busResult, collectStreams } from './bus-json.js';
import { envOfSubject } from './bus-subjects.js';

/**
 * Message headers the bus reads, named as their HTTP counterparts (lower case; matched ignoring case):
 *   authorization            `Bearer <token>` (the only place a token travels; never in the payload)
 *   idempotency-key          recorded with the events so a redelivered command acts once
 *   strongroom-min-position  read-your-writes: wait until this replica has applied that log position
 *   x-request-id             the correlation id recorded in event metadata (else a fresh UUID)
 */
export interface BusHeaders {
  /** The first value of the header (`name` in lower case), or undefined when absent. */
  get(name: string): string | undefined;
  /** Every value of the header, `[]` when absent (NATS allows a header more than once). */
  values(name: string): string[];
}

/** What the adapter needs of the running server: the one pipeline, token checks, the projection's position. */
export interface BusDependencies {
  readonly pipeline: Pipeline;
  readonly authenticator: TokenAuthenticator;
  readonly waitFor: (position: number) => Promise<void>;
  /** Told of every request answered: the use case, `ok` or the error code, and the time taken (seconds). */
  readonly onHandled?: (useCase: string, outcome: string, seconds: number) => void;
}

/**
 * The bus as one more interface of the catalogue (DESIGN.md section 10): a message on a use case's
 * subject is authenticated by its token header (a failure recorded, then UNAUTHENTICATED), then runs
 * through the same pipeline as HTTP with interface `bus`, and is answered `{ result }` or
 * `{ error: { code, message } }` with the HTTP API's codes. It never throws: every failure is a reply.
 *
 * One adapter driven by the catalogue rather than a `*.bus.handler.ts` per use case: a bus handler has
 * nothing use-case specific to say (the subject is the catalogue name, the payload is the input, values
 * travel as on HTTP), so 33 copies of the same ten lines would only be 33 places to drift.
 */
export class BusAdapter {
  constructor(private readonly deps: BusDependencies) {}

  async handle(useCase: UseCase, subject: string, payload: unknown, headers: BusHeaders): Promise<BusReply> {
    const started = performance.now();
    const reply = await this.answer(useCase, subject, payload, headers);
    this.deps.onHandled?.(useCase.name, 'error' in reply ? reply.error.code : 'ok', (performance.now() - started) / 1000);
    return reply;
  }

  private async answer(useCase: UseCase, subject: string, payload: unknown, headers: BusHeaders): Promise<BusReply> {
    try {
      // Checked before anything waits or runs: a malformed key or position is refused, never dropped.
      const idempotencyKey = idempotencyKeyFrom(headers.values('idempotency-key'));
      const minPosition = minPositionFrom(headers.values('strongroom-min-position'), 'the strongroom-min-position header');
      if (minPosition !== undefined) await this.deps.waitFor(minPosition);
      const caller = await this.callerOf(headers, idempotencyKey);
      const input = busInput(payload, envOfSubject(subject), takesEnv(useCase));
      // One request, one reply: a stream that never ends (an export's follow) has no place here.
      if (input.follow === true) throw new StrongroomError(ErrorCode.InvalidInput, 'follow streams for ever and a bus request is answered once: subscribe to the events stream instead');
      const route = useCase.http?.[0];
      return { result: busResult(await collectStreams(await this.deps.pipeline.execute(useCase, input, caller), route && `${route.method} ${route.path}`)) };
    } catch (e) {
      return toBusError(e);
    }
  }

  /** Recorded as any malformed token is (the authenticator records, then refuses), answered with `why`. */
  private refuseMalformed(why: string): never {
    try {
      this.deps.authenticator.authenticate({ token: 'malformed', interface: 'bus', client: null });
    } catch {
      // the failure is recorded; the answer is ours
    }
    throw new StrongroomError(ErrorCode.Unauthenticated, why);
  }

  private async callerOf(headers: BusHeaders, idempotencyKey: string | undefined): Promise<Caller> {
    let token: string | undefined;
    try {
      token = bearerTokenFrom(headers.values('authorization'), 'the authorization header');
    } catch (e) {
      this.refuseMalformed((e as Error).message);
    }
    const principal = await this.deps.authenticator.authenticateFresh({ token, interface: 'bus', client: null });
    const requestId = headers.get('x-request-id');
    return {
      principal,
      interface: 'bus',
      correlationId: requestId !== undefined && SANE_REQUEST_ID.test(requestId) ? requestId : randomUUID(),
      ...(idempotencyKey !== undefined && { idempotencyKey }),
    };
  }
}

/** Whether the use case's input has an `env` field (the subject's environment then fills it). */
const takesEnv = (useCase: UseCase): boolean => {
  const shape = (useCase.input as unknown as { shape?: Record<string, unknown> }).shape;
  return shape !== undefined && 'env' in shape;
};
