import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { CreateTokenCommand, createTokenInput, type CreatedToken, type CreateTokenInput } from './create-token.command.js';
import { CreateTokenHandler } from './create-token.handler.js';

export const CreateToken = defineUseCase<CreateTokenInput, CreatedToken>({
  name: 'CreateToken',
  kind: 'command',
  summary: 'Create an API token for a principal with the given policies (or root); the token is shown once and stored only as a digest.',
  message: CreateTokenCommand,
  handler: CreateTokenHandler,
  input: createTokenInput,
  capability: 'admin',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'POST', path: '/v1/tokens', example: { principal: 'payments-api', policies: ['payments-read'], ttl: '90d' } }],
});
