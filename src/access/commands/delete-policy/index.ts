import type { Slice } from '../../../catalogue.js';
import { deletePolicyVerb } from './delete-policy.cli.verb.js';
import { DeletePolicyHttpController } from './delete-policy.http.controller.js';
import { DeletePolicy } from './delete-policy.use-case.js';

export const deletePolicy: Slice = { useCase: DeletePolicy, http: [DeletePolicyHttpController], cli: [deletePolicyVerb] };
