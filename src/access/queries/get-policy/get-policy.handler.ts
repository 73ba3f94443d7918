import { QueryHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import type { PolicyVersion } from '../../domain/access-state.js';
import { policyDocumentForm } from '../../domain/policy-document.js';
import { GetPolicyQuery, type GetPolicyInput, type PolicyVersionView, type PolicyView } from './get-policy.query.js';

const view = (v: PolicyVersion): PolicyVersionView => ({
  version: v.version,
  document: v.document ? policyDocumentForm(v.document) : null,
  deleted: v.deleted,
  setAt: v.setAt,
  setBy: v.setBy,
});

@QueryHandler(GetPolicyQuery)
export class GetPolicyHandler extends GatedHandler<GetPolicyQuery, PolicyView> {
  constructor(private readonly projection: StrongroomProjection) {
    super();
  }

  protected async handle(input: GetPolicyInput): Promise<PolicyView> {
    const record = this.projection.accessState.policy(input.name).policy;
    const notFound = (what: string) => new StrongroomError(ErrorCode.PolicyNotFound, `${what} not found`, { name: input.name });
    if (!record) throw notFound(`policy ${input.name}`);
    const history = record.versions.map(view);
    const current = input.version === undefined ? history.at(-1) : history.find((v) => v.version === input.version);
    if (!current) throw notFound(`version ${input.version} of policy ${input.name}`);
    return { name: record.name, current, history };
  }
}
