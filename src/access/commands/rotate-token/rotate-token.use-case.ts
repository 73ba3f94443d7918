import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import type { CreatedToken } from '../create-token/create-token.command.js';
import { RotateTokenCommand, rotateTokenInput, type RotateTokenInput } from './rotate-token.command.js';
import { RotateTokenHandler } from './rotate-token.handler.js';

export const RotateToken = defineUseCase<RotateTokenInput, CreatedToken>({
  name: 'RotateToken',
  kind: 'command',
  summary: 'Issue a new secret for a token (same id, principal and policies); the old one stops working at once.',
  message: RotateTokenCommand,
  handler: RotateTokenHandler,
  input: rotateTokenInput,
  capability: 'admin',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'POST', path: '/v1/tokens/:tokenId/rotate' }],
});
