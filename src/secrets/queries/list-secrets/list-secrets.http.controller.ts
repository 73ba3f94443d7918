import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { MinPosition } from '../../../interfaces/http/read-your-writes.js';
import { ListSecretsQuery, type SecretSummary } from './list-secrets.query.js';

/** GET /v1/secrets: metadata of every live secret, never a value or ciphertext. */
@Controller('v1/secrets')
export class ListSecretsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  async list(@MinPosition() minPosition: unknown): Promise<{ secrets: SecretSummary[] }> {
    return { secrets: await this.queryBus.execute(new ListSecretsQuery({ minPosition })) };
  }
}
