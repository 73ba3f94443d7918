import { QueryHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { environmentNames } from '../../domain/keyring-state.js';
import { ListEnvironmentsQuery, type EnvironmentSummary } from './list-environments.query.js';

@QueryHandler(ListEnvironmentsQuery)
export class ListEnvironmentsHandler extends GatedHandler<ListEnvironmentsQuery, EnvironmentSummary[]> {
  constructor(private readonly projection: StrongroomProjection) {
    super();
  }

  protected async handle(_input: object, ticket: Ticket): Promise<EnvironmentSummary[]> {
    const keys = this.projection.keys;
    const out: EnvironmentSummary[] = [];
    for (const env of environmentNames(keys)) {
      const resource = { env, secret: null };
      if (!ticket.authorise('list', resource, 'any-in-env').allowed && !ticket.authorise('admin', resource).allowed) continue;
      const created = keys.environments.get(env);
      let liveSecrets = 0;
      for (const _ of this.projection.liveSecrets(env)) liveSecrets++;
      out.push({ env, activeKeyId: keys.activeKeyIds.get(env) as string, liveSecrets, createdAt: created?.createdAt ?? null, createdBy: created?.createdBy ?? null });
    }
    return out;
  }
}
