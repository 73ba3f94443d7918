import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import type { RotateMasterKeyResult } from '../rotate-master-key/rotate-master-key.command.js';
import { ConfirmMasterKeyRotationCommand, confirmMasterKeyRotationInput, type ConfirmMasterKeyRotationInput } from './confirm-master-key-rotation.command.js';
import { ConfirmMasterKeyRotationHandler } from './confirm-master-key-rotation.handler.js';

export const ConfirmMasterKeyRotation = defineUseCase<ConfirmMasterKeyRotationInput, RotateMasterKeyResult>({
  name: 'ConfirmMasterKeyRotation',
  kind: 'command',
  summary: "Complete a prepared (two-step) master-key rotation once the master key file holds its new key.",
  message: ConfirmMasterKeyRotationCommand,
  handler: ConfirmMasterKeyRotationHandler,
  input: confirmMasterKeyRotationInput,
  capability: 'admin',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'POST', path: '/v1/keys/master/confirm' }],
});
