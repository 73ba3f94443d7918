import { randomUUID } from 'node:crypto';
import type { TokenAuthenticator } from '../../access/token-authenticator.js';
import type { Caller } from '../../kernel/caller.js';
import type { Pipeline } from '../../kernel/pipeline.js';
import type { UseCase } from '../../kernel/use-case.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
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
  get(name: string): string | undefined;
}

/** What the adapter needs of the running server: the one pipeline, token checks, the projection's position. */
export interface BusDependencies {
  readonly pipeline: Pipeline;
  readonly authenticator: TokenAuthenticator;
  readonly waitFor: (position: number) => Promise<void>;
  /** Told of every request answered: the use case, `ok` or the error code, and the time taken (seconds). */
  readonly onHandled?: (useCase: string, outcome: string, seconds: number) => void;
}

const BEARER = /^Bearer +([\x21-\x7e]{1,512}) *$/i;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const POSITION = /^\d{1,15}$/;

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
      const minPosition = headers.get('strongroom-min-position');
      if (minPosition !== undefined && POSITION.test(minPosition)) await this.deps.waitFor(Number(minPosition));
      const caller = this.callerOf(headers);
      const input = busInput(payload, envOfSubject(subject), takesEnv(useCase));
      // One request, one reply: a stream that never ends (an export's follow) has no place here.
      if (input.follow === true) throw new StrongroomError(ErrorCode.InvalidInput, 'follow streams for ever and a bus request is answered once: subscribe to the events stream instead');
      const route = useCase.http?.[0];
      return { result: busResult(await collectStreams(await this.deps.pipeline.execute(useCase, input, caller), route && `${route.method} ${route.path}`)) };
    } catch (e) {
      return toBusError(e);
    }
  }

  private callerOf(headers: BusHeaders): Caller {
    const header = headers.get('authorization');
    const match = header === undefined ? undefined : BEARER.exec(header);
    if (header !== undefined && !match) {
      // Recorded as any malformed token is; the header itself is never echoed.
      this.deps.authenticator.authenticate({ token: 'malformed', interface: 'bus', client: null });
      throw new StrongroomError(ErrorCode.Unauthenticated, 'the authorization header must be "Bearer <token>"');
    }
    const principal = this.deps.authenticator.authenticate({ token: match?.[1], interface: 'bus', client: null });
    const key = headers.get('idempotency-key');
    const requestId = headers.get('x-request-id');
    return {
      principal,
      interface: 'bus',
      correlationId: requestId !== undefined && SANE_REQUEST_ID.test(requestId) ? requestId : randomUUID(),
      ...(key !== undefined && IDEMPOTENCY_KEY.test(key) && { idempotencyKey: key }),
    };
  }
}

/** Whether the use case's input has an `env` field (the subject's environment then fills it). */
const takesEnv = (useCase: UseCase): boolean => {
  const shape = (useCase.input as unknown as { shape?: Record<string, unknown> }).shape;
  return shape !== undefined && 'env' in shape;
};
