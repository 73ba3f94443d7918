import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StrongroomMetrics } from '../../observability/metrics.js';
import type { Logger } from '../../shared/logger.js';
import { principalOf } from './http-caller.js';

/**
 * One structured line per request, and its metrics: method, route *template* (never the path, which
 * holds secret names), status, duration, principal, token id, correlation id and client address.
 * Never a body, a query string, a value or a token.
 */
export const logAccess = (request: FastifyRequest, reply: FastifyReply, metrics: StrongroomMetrics, logger: Logger): void => {
  const route = request.routeOptions.url ?? 'unmatched';
  const method = request.method;
  const status = reply.statusCode;
  const seconds = reply.elapsedTime / 1000;
  metrics.httpRequests.inc({ method, route, status: String(status) });
  metrics.httpDuration.observe({ method, route }, seconds);
  const principal = principalOf(request);
  logger.info(
    {
      http: {
        method,
        route,
        status,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        correlationId: request.id,
        client: request.ip,
        ...(principal && { principal: principal.name, ...(principal.tokenId !== null && { tokenId: principal.tokenId }) }),
      },
    },
    'request',
  );
};
