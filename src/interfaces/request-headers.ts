import { ErrorCode, StrongroomError } from '../shared/errors.js';

/**
 * The request headers every remote interface reads (HTTP, bus request-reply, the durable queue), checked
 * by one definition each, so that the same header means the same thing on every interface.
 *
 * Each is given as every value the request carried (HTTP and NATS both allow a header more than once):
 * `[]` when absent. A header that would change the outcome if ignored is refused when malformed, never
 * dropped: a dropped idempotency key lets a retry act twice, a dropped minimum position reads stale.
 */

/** docs/BUS.md "Idempotency keys": 1 to 128 printable ASCII characters (0x21–0x7E: no space, no control). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/** The rule as the refusal states it. */
export const IDEMPOTENCY_KEY_RULE = 'an idempotency key is 1 to 128 printable ASCII characters (no spaces)';

/**
 * The idempotency key of a request, or undefined when it sends none.
 * @param values every value of the `Idempotency-Key` header (any case), `[]` when absent
 * @throws INVALID_INPUT when the header is given more than once or breaks IDEMPOTENCY_KEY_RULE; the
 *   value is not quoted (it is the caller's own, and may be long)
 */
export const idempotencyKeyFrom = (values: readonly string[]): string | undefined => {
  if (values.length === 0) return undefined;
  if (values.length > 1) throw new StrongroomError(ErrorCode.InvalidInput, 'the idempotency-key header is given more than once; send one');
  const key = values[0] as string;
  if (!IDEMPOTENCY_KEY.test(key)) throw new StrongroomError(ErrorCode.InvalidInput, `the idempotency-key header is malformed: ${IDEMPOTENCY_KEY_RULE}`);
  return key;
};

/** The longest token a header may carry (Strongroom's own are 64 characters): hashing stays proportional to a real token. */
export const MAX_TOKEN_CHARS = 512;

const BEARER = /^Bearer +(\S+) *$/i;
const TOKEN = /^[\x21-\x7e]+$/;

/**
 * The token of an `Authorization` header (HTTP, bus request-reply, the durable queue), or undefined
 * when the request sends none. Each refusal says what is wrong with the header without echoing it
 * (it may hold a real token, or one pasted with other text).
 * @param values every value of the header (any case), `[]` when absent
 * @param what the header as the refusal names it (`the Authorization header`, `the authorization header`)
 * @throws UNAUTHENTICATED when given more than once, not `Bearer <token>`, longer than MAX_TOKEN_CHARS,
 *   or holding a character that is not printable ASCII
 */
export const bearerTokenFrom = (values: readonly string[], what: string): string | undefined => {
  if (values.length === 0) return undefined;
  const refuse = (why: string): never => {
    throw new StrongroomError(ErrorCode.Unauthenticated, why);
  };
  // Two tokens: which one was meant is ambiguous, so neither is used.
  if (values.length > 1) refuse(`${what} is given more than once; send one`);
  const token = BEARER.exec(values[0] as string)?.[1];
  if (token === undefined) return refuse(`${what} must be "Bearer <token>"`);
  if (token.length > MAX_TOKEN_CHARS) refuse(`the token in ${what} is too long (${token.length} characters; at most ${MAX_TOKEN_CHARS}): check what was sent (a Strongroom token is 64 characters)`);
  if (!TOKEN.test(token)) refuse(`the token in ${what} holds a character that is not printable ASCII: check for a character pasted with it`);
  return token;
};

/** A log position as a header or query parameter carries it: decimal digits, at most 15 (a safe integer). */
const POSITION = /^\d{1,15}$/;

/**
 * The minimum log position a read must wait for (read-your-writes), or undefined when none is named.
 * Ignoring a malformed one would answer from a replica that may not have the caller's write: a stale
 * read presented as a fresh one, so it is refused.
 * @param values every value of the header, `[]` when absent
 * @param what the header or parameter as the refusal names it, e.g. `the strongroom-min-position header`
 * @throws INVALID_INPUT when given more than once or not decimal digits
 */
export const minPositionFrom = (values: readonly string[], what: string): number | undefined => {
  if (values.length === 0) return undefined;
  if (values.length > 1) throw new StrongroomError(ErrorCode.InvalidInput, `${what} is given more than once; send one`);
  const raw = values[0] as string;
  if (!POSITION.test(raw)) throw new StrongroomError(ErrorCode.InvalidInput, `${what} must be a log position: decimal digits (at most 15)`);
  return Number(raw);
};

/**
 * A client's request id (`x-request-id`), carried into the audit log as the correlation id only when
 * short and plain. Deliberately lenient, unlike the headers above: a request id changes no outcome (the
 * command does the same either way), proxies and tracing libraries add their own of many shapes, and
 * the id actually used is echoed (HTTP's X-Request-Id response header), so refusing would break callers
 * for nothing. An unusable one is replaced by a fresh id.
 */
export const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
