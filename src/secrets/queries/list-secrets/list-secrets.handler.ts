import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { SecretResolver } from '../../secret-resolver.js';
import { ListSecretsQuery, type SecretSummary } from './list-secrets.query.js';

@QueryHandler(ListSecretsQuery)
export class ListSecretsHandler implements IQueryHandler<ListSecretsQuery> {
  constructor(
    private readonly projection: StrongroomProjection,
    private readonly resolver: SecretResolver,
  ) {}

  async execute({ input }: ListSecretsQuery): Promise<SecretSummary[]> {
    await this.resolver.waitForMinPosition(input.minPosition);
    // Built field by field so neither ciphertext nor anything added to the slot later can leak here.
    const out: SecretSummary[] = [];
    for (const s of this.projection.liveSecrets()) {
      out.push({
        id: s.id,
        name: s.name,
        version: s.version,
        keyId: s.keyId,
        metadata: s.metadata,
        createdAt: s.createdAt,
        updatedAt: s.updatedAt,
        lastRotatedAt: s.lastRotatedAt,
      });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
