import type { Slice } from '../../../catalogue.js';
import { auditReplayVerb } from './replay-policies.cli.verb.js';
import { ReplayPoliciesHttpController } from './replay-policies.http.controller.js';
import { ReplayPolicies } from './replay-policies.use-case.js';

export const replayPolicies: Slice = { useCase: ReplayPolicies, http: [ReplayPoliciesHttpController], cli: [auditReplayVerb] };
