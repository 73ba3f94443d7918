import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import type { RotateMasterKeyResult } from '../rotate-master-key/rotate-master-key.command.js';
import { CancelMasterKeyRotationCommand, cancelMasterKeyRotationInput, type CancelMasterKeyRotationInput } from './cancel-master-key-rotation.command.js';
import { CancelMasterKeyRotationHandler } from './cancel-master-key-rotation.handler.js';

export const CancelMasterKeyRotation = defineUseCase<CancelMasterKeyRotationInput, RotateMasterKeyResult>({
  name: 'CancelMasterKeyRotation',
  kind: 'command',
  summary: "Abandon the pending master-key rotation; the current master key stays the store's key.",
  message: CancelMasterKeyRotationCommand,
  handler: CancelMasterKeyRotationHandler,
  input: cancelMasterKeyRotationInput,
  capability: 'admin',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'POST', path: '/v1/keys/master/cancel' }],
});
