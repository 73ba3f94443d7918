import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { SetPolicyCommand, setPolicyInput, type PolicySetResult, type SetPolicyInput } from './set-policy.command.js';
import { SetPolicyHandler } from './set-policy.handler.js';

export const SetPolicy = defineUseCase<SetPolicyInput, PolicySetResult>({
  name: 'SetPolicy',
  kind: 'command',
  summary: 'Set a new version of a policy: rules of capabilities x secret patterns x environments; deny by default, explicit deny wins.',
  message: SetPolicyCommand,
  handler: SetPolicyHandler,
  input: setPolicyInput,
  capability: 'admin',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [
    {
      method: 'PUT',
      path: '/v1/policies/:name',
      example: { name: 'payments-read', document: { rules: [{ allow: ['read', 'list'], secrets: ['payments/**'], environments: ['prod'] }] } },
    },
  ],
});
