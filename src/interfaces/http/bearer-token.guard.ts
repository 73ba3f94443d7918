import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { StrongroomOptions } from '../../config/options.js';
import { TokenAuthenticator } from '../../access/token-authenticator.js';
import { OPTIONS } from '../../kernel/tokens.js';
import { StrongroomProjection } from '../../projection/strongroom-projection.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { headerValues, recordPrincipal } from './http-caller.js';
import { PUBLIC_ROUTE } from './public-route.decorator.js';
import { minPositionOf } from './read-your-writes.js';
import { bearerTokenFrom } from '../request-headers.js';

/**
 * Every route needs `Authorization: Bearer <token>` unless marked @PublicRoute(). 401 for a missing,
 * malformed, unknown, expired or revoked token (recorded as a failed authentication); the principal
 * then travels in the request context. A request that names a minimum log position waits for it
 * first, so a revocation made on another replica is honoured here once that position is applied.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: TokenAuthenticator,
    private readonly projection: StrongroomProjection,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
    private readonly limiter: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    this.limiter.refuseIfBlocked(request);
    const minPosition = minPositionOf(request);
    if (minPosition !== undefined) await this.projection.waitFor(minPosition, this.options.readWaitTimeoutMs);
    try {
      // Every value: Node keeps the first of two Authorization headers, and which token was meant is ambiguous.
      const token = bearerTokenFrom(headerValues(request, 'authorization'), 'the Authorization header');
      recordPrincipal(request, await this.authenticator.authenticateFresh({ token, interface: 'http', client: request.ip ?? null }));
    } catch (e) {
      if (e instanceof StrongroomError && e.code === ErrorCode.Unauthenticated) await this.limiter.failed(request);
      throw e;
    }
    return true;
  }
}
