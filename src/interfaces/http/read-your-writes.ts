import { createParamDecorator, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tap, type Observable } from 'rxjs';

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
 * The minimum position a request names, when it is a well-formed one (the use case's input schema
 * reports malformed ones); the guard waits for it before authenticating.
 */
export const minPositionOf = (request: FastifyRequest): number | undefined => {
  const query = request.query as Record<string, unknown> | undefined;
  const raw = query?.minPosition ?? request.headers[MIN_POSITION_HEADER];
  return typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
};
