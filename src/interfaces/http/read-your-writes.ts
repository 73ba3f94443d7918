import { createParamDecorator, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tap, type Observable } from 'rxjs';
import { minPositionFrom } from '../request-headers.js';
import { headerValues } from './http-caller.js';

/** Log position of a write: pass it back as the minimum position of a read to read your own write. */
export const POSITION_HEADER = 'x-strongroom-position';
export const MIN_POSITION_HEADER = 'x-strongroom-min-position';

const positionOf = (result: unknown): number | undefined => {
  const p = typeof result === 'object' && result !== null ? (result as { position?: unknown }).position : undefined;
  return typeof p === 'number' ? p : undefined;
};

/** Copies the `position` of a write's result into the X-Strongroom-Position header. */
@Injectable()
export class WritePositionHeader implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      tap((result: unknown) => {
        const position = positionOf(result);
        if (position !== undefined) void reply.header(POSITION_HEADER, String(position));
      }),
    );
  }
}

/**
 * Controller parameter: `?minPosition=` or the X-Strongroom-Min-Position header, unparsed; the query
 * handler validates it and waits until this process has applied that position.
 */
export const MinPosition = createParamDecorator((_data: unknown, context: ExecutionContext): unknown => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const query = request.query as Record<string, unknown> | undefined;
  const raw = query?.minPosition ?? request.headers[MIN_POSITION_HEADER];
  return typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : raw;
});

/**
 * The minimum position a request names (`?minPosition=` first, else the X-Strongroom-Min-Position
 * header), which the guard waits for before authenticating, on every route.
 * @throws INVALID_INPUT when it is malformed or repeated: ignoring it would answer a read from a replica
 *   that may not yet have the caller's write (a stale read), so it is refused (request-headers.ts)
 */
export const minPositionOf = (request: FastifyRequest): number | undefined => {
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = query?.minPosition;
  if (fromQuery === undefined) return minPositionFrom(headerValues(request, MIN_POSITION_HEADER), `the ${MIN_POSITION_HEADER} header`);
  const values = Array.isArray(fromQuery) ? fromQuery.map(String) : [String(fromQuery)];
  return minPositionFrom(values, 'the minPosition query parameter');
};
