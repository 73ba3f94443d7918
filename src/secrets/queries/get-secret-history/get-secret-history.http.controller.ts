import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetSecretHistoryQuery, type SecretHistoryEntry } from './get-secret-history.query.js';

/** GET /v1/secrets/:ref/history: every change of a secret, without values. */
@Controller('v1/secrets')
export class GetSecretHistoryHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':ref/history')
  history(@Param('ref') ref: string): Promise<{ id: string; name: string; entries: SecretHistoryEntry[] }> {
    return this.queryBus.execute(new GetSecretHistoryQuery({ ref }));
  }
}
