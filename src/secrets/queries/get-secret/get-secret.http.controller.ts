import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { MinPosition } from '../../../interfaces/http/read-your-writes.js';
import { HttpRequestContext } from '../../../interfaces/http/request-context.js';
import type { RequestContext } from '../../../shared/request-context.js';
import { GetSecretQuery, type SecretValue } from './get-secret.query.js';

/** GET /v1/secrets/:ref?version=N: the one response that carries a value, after its access is durable. */
@Controller('v1/secrets')
export class GetSecretHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':ref')
  get(
    @Param('ref') ref: string,
    @Query('version') version: unknown,
    @MinPosition() minPosition: unknown,
    @HttpRequestContext() context: RequestContext,
  ): Promise<SecretValue> {
    return this.queryBus.execute(new GetSecretQuery({ ref, version, minPosition }, context));
  }
}
