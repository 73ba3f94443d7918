import { QueryHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { SecretResolver } from '../../secret-resolver.js';
import { listingStream, recordListing } from '../../listing-record.js';
import { ListSecretsQuery, type ListSecretsInput, type SecretSummary } from './list-secrets.query.js';

@QueryHandler(ListSecretsQuery)
export class ListSecretsHandler extends GatedHandler<ListSecretsQuery, SecretSummary[]> {
  constructor(
    private readonly projection: StrongroomProjection,
    private readonly resolver: SecretResolver,
  ) {
    super();
  }

  protected async handle(input: ListSecretsInput, ticket: Ticket): Promise<SecretSummary[]> {
    await this.resolver.waitForMinPosition(input.minPosition);
    const { env } = input;
    // Built field by field so neither ciphertext nor anything added to the slot later can leak here.
    const out: SecretSummary[] = [];
    for (const s of this.projection.liveSecrets(env)) {
      if (!ticket.authorise('list', { env, secret: s.name }).allowed) continue;
      const describe = ticket.authorise('describe', { env, secret: s.name }).allowed;
      out.push({
        id: s.id,
        name: s.name,
        env: s.env,
        version: s.version,
        keyId: s.keyId,
        binary: s.binary,
        metadata: describe ? s.metadata : {},
        createdAt: s.createdAt,
        updatedAt: s.updatedAt,
        lastRotatedAt: s.lastRotatedAt,
      });
    }
    out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    await recordListing(ticket, listingStream(env), 'SecretsListed', { env, count: out.length });
    return out;
  }
}
