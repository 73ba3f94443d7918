import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { GetPolicyHandler } from './get-policy.handler.js';
import { GetPolicyQuery, getPolicyInput, type GetPolicyInput, type PolicyView } from './get-policy.query.js';

export const GetPolicy = defineUseCase<GetPolicyInput, PolicyView>({
  name: 'GetPolicy',
  kind: 'query',
  summary: 'A policy (the version in force, or a given one) and every version it has had.',
  message: GetPolicyQuery,
  handler: GetPolicyHandler,
  input: getPolicyInput,
  capability: 'admin',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'GET', path: '/v1/policies/:name' }],
});
