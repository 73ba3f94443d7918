import { defineUseCase } from '../../../kernel/use-case.js';
import { secretResource } from '../../secret-resource.js';
import { DeleteSecretCommand, deleteSecretInput, type DeleteResult, type DeleteSecretInput } from './delete-secret.command.js';
import { DeleteSecretHandler } from './delete-secret.handler.js';

export const DeleteSecret = defineUseCase<DeleteSecretInput, DeleteResult>({
  name: 'DeleteSecret',
  kind: 'command',
  summary: 'Delete a secret: restorable during a recovery window (default 7 days, 0-30; force: at once), then purged. History stays in the log.',
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
