import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../shared/request-context.js';

/** A client's X-Request-Id is carried into the audit log only when it is short and plain. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export const REQUEST_ID_HEADER = 'x-request-id';

/** The correlation id of a request: the caller's X-Request-Id if sane, else a fresh UUID. */
export const correlationIdOf = (header: string | string[] | undefined): string =>
  typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();

// Set by the guard once the bearer token checks out; a WeakMap so nothing is bolted onto Fastify's types.
const actors = new WeakMap<FastifyRequest, string>();

export const recordActor = (request: FastifyRequest, actor: string): void => {
  actors.set(request, actor);
};

/** Who is asking, through HTTP. `request.id` is the correlation id (see `genReqId` in serve-http.ts). */
export const requestContextOf = (request: FastifyRequest): RequestContext => {
  const actor = actors.get(request);
  // Only a public route can get here unauthenticated, and public routes must not act on anyone's behalf.
  if (actor === undefined) throw new Error('a request context was asked for on an unauthenticated route');
  return { actor, interface: 'http', correlationId: request.id };
};

/** Controller parameter: the RequestContext every command and query carries into event metadata. */
export const HttpRequestContext = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestContext => requestContextOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
