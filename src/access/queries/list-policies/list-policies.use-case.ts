import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { ListPoliciesHandler } from './list-policies.handler.js';
import { ListPoliciesQuery, listPoliciesInput, type ListPoliciesInput, type PolicySummary } from './list-policies.query.js';

export const ListPolicies = defineUseCase<ListPoliciesInput, PolicySummary[]>({
  name: 'ListPolicies',
  kind: 'query',
  summary: 'The policies in force: version, number of rules, who set them, how many active tokens hold them.',
  message: ListPoliciesQuery,
  handler: ListPoliciesHandler,
  input: listPoliciesInput,
  capability: 'admin',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'GET', path: '/v1/policies' }],
});
