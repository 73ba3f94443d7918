import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CATALOGUE } from '../../catalogue.js';
import { BearerTokenGuard } from './bearer-token.guard.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { HealthHttpController } from './health.http.controller.js';
import { ReadinessHttpController } from './readiness.http.controller.js';
import { HttpErrorFilter } from './http-error.filter.js';
import { AUDIT_FEED_SOURCE, AuditFeedHttpController, type AuditFeedSource } from './console/audit-feed.http.controller.js';

/** Every use case's HTTP controllers, from the catalogue, plus the interface's own routes. */
export const HTTP_CONTROLLERS: readonly Type<unknown>[] = [...CATALOGUE.flatMap((slice) => slice.http ?? []), HealthHttpController, ReadinessHttpController];

/**
 * The HTTP API over the kernel module: the catalogue's controllers, token authentication, the error
 * filter, and the live audit feed of the web console (a stream, not a use case of its own: it runs
 * GetAuditTrail to be authorised, then follows `feed`, the runtime's store, read-only).
 */
@Module({})
export class HttpApiModule {
  static around(kernel: DynamicModule, limiter: AuthFailureLimiter, feed: AuditFeedSource): DynamicModule {
    return {
      module: HttpApiModule,
      imports: [kernel],
      controllers: [...HTTP_CONTROLLERS, AuditFeedHttpController],
      providers: [
        { provide: AuthFailureLimiter, useValue: limiter },
        { provide: AUDIT_FEED_SOURCE, useValue: { subscribe: feed.subscribe.bind(feed), headPosition: feed.headPosition.bind(feed) } satisfies AuditFeedSource },
        { provide: APP_GUARD, useClass: BearerTokenGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
