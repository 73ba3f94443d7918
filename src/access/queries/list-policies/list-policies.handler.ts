import { QueryHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { currentPolicy } from '../../domain/access-state.js';
import { ListPoliciesQuery, type PolicySummary } from './list-policies.query.js';

@QueryHandler(ListPoliciesQuery)
export class ListPoliciesHandler extends GatedHandler<ListPoliciesQuery, PolicySummary[]> {
  constructor(private readonly projection: StrongroomProjection) {
    super();
  }

  protected async handle(): Promise<PolicySummary[]> {
    const access = this.projection.accessState;
    const holders = new Map<string, number>();
    for (const t of access.allTokens()) {
      if (t.revokedAt !== null) continue;
      for (const p of t.policies) holders.set(p, (holders.get(p) ?? 0) + 1);
    }
    const out: PolicySummary[] = [];
    for (const record of access.allPolicies()) {
      const current = currentPolicy(record);
      if (!current) continue;
      out.push({ name: record.name, version: current.version, rules: current.document?.rules.length ?? 0, setAt: current.setAt, setBy: current.setBy, tokens: holders.get(record.name) ?? 0 });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }
}
