import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Caller, Principal } from '../../kernel/caller.js';

// Set by the authentication guard once a token checks out; a WeakMap so nothing is bolted onto Fastify's types.
const principals = new WeakMap<FastifyRequest, Principal>();

export const recordPrincipal = (request: FastifyRequest, principal: Principal): void => {
  principals.set(request, principal);
};

export const principalOf = (request: FastifyRequest): Principal | undefined => principals.get(request);

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/**
 * The Caller of an HTTP request: the principal the guard authenticated, interface `http`, the request id
 * as correlation id (see `genReqId` in serve-http.ts), and an `Idempotency-Key` header when sane.
 */
export const callerOf = (request: FastifyRequest): Caller => {
  const principal = principals.get(request);
  // Only a public route can get here unauthenticated, and public routes must not act on anyone's behalf.
  if (principal === undefined) throw new Error('a caller was asked for on an unauthenticated route');
  const key = request.headers['idempotency-key'];
  return {
    principal,
    interface: 'http',
    correlationId: request.id,
    ...(typeof key === 'string' && IDEMPOTENCY_KEY.test(key) && { idempotencyKey: key }),
  };
};

/** Controller parameter: the Caller every use case runs as. */
export const HttpCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller =>
  callerOf(context.switchToHttp().getRequest<FastifyRequest>()),
);

/** A client's X-Request-Id is carried into the audit log only when it is short and plain. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export const REQUEST_ID_HEADER = 'x-request-id';

/** The correlation id of a request: the caller's X-Request-Id if sane, else a fresh UUID. */
export const correlationIdOf = (header: string | string[] | undefined): string =>
  typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
