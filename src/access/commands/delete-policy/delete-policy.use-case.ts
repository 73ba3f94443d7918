import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import type { PolicySetResult } from '../set-policy/set-policy.command.js';
import { DeletePolicyCommand, deletePolicyInput, type DeletePolicyInput } from './delete-policy.command.js';
import { DeletePolicyHandler } from './delete-policy.handler.js';

export const DeletePolicy = defineUseCase<DeletePolicyInput, PolicySetResult>({
  name: 'DeletePolicy',
  kind: 'command',
  summary: 'Delete a policy: tokens holding it lose what it granted; its versions stay in the log.',
  message: DeletePolicyCommand,
  handler: DeletePolicyHandler,
  input: deletePolicyInput,
  capability: 'admin',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'DELETE', path: '/v1/policies/:name' }],
});
