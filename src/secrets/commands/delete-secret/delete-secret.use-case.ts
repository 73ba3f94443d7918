import { defineUseCase } from '../../../kernel/use-case.js';
import { secretResource } from '../../secret-resource.js';
import type { WriteResult } from '../../write-result.js';
import { DeleteSecretCommand, deleteSecretInput, type DeleteSecretInput } from './delete-secret.command.js';
import { DeleteSecretHandler } from './delete-secret.handler.js';

export const DeleteSecret = defineUseCase<DeleteSecretInput, WriteResult>({
  name: 'DeleteSecret',
  kind: 'command',
  summary: 'Delete a live secret; its history stays in the log and its name becomes free.',
  message: DeleteSecretCommand,
  handler: DeleteSecretHandler,
  input: deleteSecretInput,
  capability: 'delete',
  resource: secretResource,
  http: [
    { method: 'DELETE', path: '/v1/envs/:env/secrets/:ref' },
    { method: 'DELETE', path: '/v1/secrets/:ref' },
  ],
});
