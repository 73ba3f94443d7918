import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Caller, Principal } from '../../kernel/caller.js';
import { idempotencyKeyFrom, SANE_REQUEST_ID } from '../request-headers.js';

// Set by the authentication guard once a token checks out; a WeakMap so nothing is bolted onto Fastify's types.
const principals = new WeakMap<FastifyRequest, Principal>();

export const recordPrincipal = (request: FastifyRequest, principal: Principal): void => {
  principals.set(request, principal);
};

export const principalOf = (request: FastifyRequest): Principal | undefined => principals.get(request);

/**
 * Every value of a request header, as sent: Node joins repeated headers with ", ", which would hide
 * that a header came twice, so the raw header list is read.
 */
export const headerValues = (request: FastifyRequest, name: string): string[] => {
  const raw = request.raw.rawHeaders;
  const values: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if ((raw[i] as string).toLowerCase() === name) values.push(raw[i + 1] as string);
  return values;
};

/**
 * The Caller of an HTTP request: the principal the guard authenticated, interface `http`, the request id
 * as correlation id (see `genReqId` in serve-http.ts), and its `Idempotency-Key` header, if any.
 * @throws INVALID_INPUT when the Idempotency-Key header is malformed or repeated (request-headers.ts)
 */
export const callerOf = (request: FastifyRequest): Caller => {
  const principal = principals.get(request);
  // Only a public route can get here unauthenticated, and public routes must not act on anyone's behalf.
  if (principal === undefined) throw new Error('a caller was asked for on an unauthenticated route');
  const key = idempotencyKeyFrom(headerValues(request, 'idempotency-key'));
  return {
    principal,
    interface: 'http',
    correlationId: request.id,
    ...(key !== undefined && { idempotencyKey: key }),
  };
};

/** Controller parameter: the Caller every use case runs as. */
export const HttpCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller =>
  callerOf(context.switchToHttp().getRequest<FastifyRequest>()),
);

export const REQUEST_ID_HEADER = 'x-request-id';

/** The correlation id of a request: the caller's X-Request-Id if sane, else a fresh UUID (why lenient: SANE_REQUEST_ID). */
export const correlationIdOf = (header: string | string[] | undefined): string =>
  typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
