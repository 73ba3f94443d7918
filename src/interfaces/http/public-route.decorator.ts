import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'strongroom:public-route';

/** Exempts a route from bearer-token authentication. Only health checks should need this. */
export const PublicRoute = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
