import { Controller, Get } from '@nestjs/common';
import { StrongroomProjection } from '../../projection/strongroom-projection.js';
import { PublicRoute } from './public-route.decorator.js';

/** GET /healthz, unauthenticated for load balancers: up, and how far this process has read the log. */
@Controller('healthz')
export class HealthHttpController {
  constructor(private readonly projection: StrongroomProjection) {}

  @Get()
  @PublicRoute()
  health(): { status: 'ok'; position: number } {
    return { status: 'ok', position: this.projection.position };
  }
}
