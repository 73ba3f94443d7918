import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import { ApiToken } from './api-token.js';
import { PUBLIC_ROUTE } from './public-route.decorator.js';
import { recordActor } from './request-context.js';

// Base64url tokens fit comfortably; the bound keeps hashing proportional to a real token.
const BEARER = /^Bearer +([\x21-\x7e]{1,512}) *$/i;

const bearerTokenOf = (header: string | undefined): string | undefined => (header === undefined ? undefined : BEARER.exec(header)?.[1]);

/** Every route needs `Authorization: Bearer <token>` unless marked @PublicRoute(). */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly token: ApiToken,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const presented = bearerTokenOf(request.headers.authorization);
    // One message for missing, malformed and wrong tokens: nothing to learn from the difference.
    if (presented === undefined || !this.token.matches(presented)) {
      throw new StrongroomError(ErrorCode.Unauthenticated, 'a valid bearer token is required');
    }
    recordActor(request, this.token.actor);
    return true;
  }
}
