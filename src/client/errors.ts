import type { ErrorCode } from '../contracts/errors.js';

/**
 * Every code a client can see: the server's own codes (src/contracts/errors.ts, the same on HTTP and the
 * bus), the two the HTTP edge adds for failures outside Strongroom's code (`NOT_FOUND` for an unknown
 * route, `INTERNAL_ERROR` for a bug), and the client's own: `UNREACHABLE` (no server answered, after the
 * retries), `BAD_RESPONSE` (an answer that is not Strongroom's, e.g. a proxy's HTML page) and
 * `MISSING_DEPENDENCY` (a `nats://` URL without the optional NATS packages installed).
 */
export type ClientErrorCode = ErrorCode | 'NOT_FOUND' | 'INTERNAL_ERROR' | 'UNREACHABLE' | 'BAD_RESPONSE' | 'MISSING_DEPENDENCY';

/** Failures worth retrying: the server said "not now" (503 and its codes) or nobody answered. */
export const RETRYABLE_CODES: ReadonlySet<ClientErrorCode> = new Set<ClientErrorCode>(['STORE_UNAVAILABLE', 'BUS_UNAVAILABLE', 'KEY_UNAVAILABLE', 'NOT_INITIALISED', 'UNREACHABLE']);

/**
 * A failure as the client reports it: the server's typed code and message (never a secret value: the
 * server's messages carry none, and the client adds none), the HTTP status when the answer came over
 * HTTP, and `retryAfterSeconds` when the server asked for a pause (RATE_LIMITED, 503s).
 */
export class StrongroomClientError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly status?: number,
    readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StrongroomClientError';
  }
}

/** True for a StrongroomClientError, of `code` when given. */
export const isClientError = (e: unknown, code?: ClientErrorCode): e is StrongroomClientError =>
  e instanceof StrongroomClientError && (code === undefined || e.code === code);
