import { defineUseCase } from '../../../kernel/use-case.js';
import type { WriteResult } from '../../write-result.js';
import { secretResource } from '../../secret-resource.js';
import { UpdateSecretCommand, updateSecretInput, type UpdateSecretInput } from './update-secret.command.js';
import { UpdateSecretHandler } from './update-secret.handler.js';

export const UpdateSecret = defineUseCase<UpdateSecretInput, WriteResult>({
  name: 'UpdateSecret',
  kind: 'command',
  summary: 'Store a new version of a secret; with expectedVersion, only if that is still the current version (check-and-set).',
  message: UpdateSecretCommand,
  handler: UpdateSecretHandler,
  input: updateSecretInput,
  capability: 'update',
  resource: secretResource,
  http: [
    { method: 'PUT', path: '/v1/envs/:env/secrets/:ref', example: { env: 'default', ref: 'payments/db', valueBase64: 'MIIBCgKCAQEA', expectedVersion: 1 } },
    { method: 'PUT', path: '/v1/secrets/:ref' },
  ],
});
