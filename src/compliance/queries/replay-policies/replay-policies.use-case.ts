import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import type { ReplayResult } from '../../policy-replay.js';
import { ReplayPoliciesHandler } from './replay-policies.handler.js';
import { ReplayPoliciesQuery, replayPoliciesInput, type ReplayPoliciesInput } from './replay-policies.query.js';

export const ReplayPolicies = defineUseCase<ReplayPoliciesInput, ReplayResult>({
  name: 'ReplayPolicies',
  kind: 'query',
  summary: 'Re-decide every recorded access, refusal and administrative action with the policy in force at its position; optionally what-if against the current or a proposed policy.',
  message: ReplayPoliciesQuery,
  handler: ReplayPoliciesHandler,
  input: replayPoliciesInput,
  capability: 'audit',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'POST', path: '/v1/audit/replay', example: { from: '2026-01-01T00:00:00Z', against: 'current' } }],
});
