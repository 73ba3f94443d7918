import { Controller, Get } from '@nestjs/common';
import { PublicRoute } from './public-route.decorator.js';

/** GET /healthz, unauthenticated for load balancers: liveness only (no log position to callers without a token). */
@Controller('healthz')
export class HealthHttpController {
  @Get()
  @PublicRoute()
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
