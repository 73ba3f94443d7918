import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { RevokeTokenCommand, revokeTokenInput, type RevokeTokenInput, type TokenRevocation } from './revoke-token.command.js';
import { RevokeTokenHandler } from './revoke-token.handler.js';

export const RevokeToken = defineUseCase<RevokeTokenInput, TokenRevocation>({
  name: 'RevokeToken',
  kind: 'command',
  summary: 'Revoke a token on every replica (a revoked token gets 401 wherever the revocation position has been applied).',
  message: RevokeTokenCommand,
  handler: RevokeTokenHandler,
  input: revokeTokenInput,
  capability: 'admin',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'DELETE', path: '/v1/tokens/:tokenId' }],
});
