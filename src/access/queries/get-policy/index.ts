import type { Slice } from '../../../catalogue.js';
import { getPolicyVerbs } from './get-policy.cli.verb.js';
import { GetPolicyHttpController } from './get-policy.http.controller.js';
import { GetPolicy } from './get-policy.use-case.js';

export const getPolicy: Slice = { useCase: GetPolicy, http: [GetPolicyHttpController], cli: [getPolicyVerbs] };
