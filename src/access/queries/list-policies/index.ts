import type { Slice } from '../../../catalogue.js';
import { listPoliciesVerb } from './list-policies.cli.verb.js';
import { ListPoliciesHttpController } from './list-policies.http.controller.js';
import { ListPolicies } from './list-policies.use-case.js';

export const listPolicies: Slice = { useCase: ListPolicies, http: [ListPoliciesHttpController], cli: [listPoliciesVerb] };
