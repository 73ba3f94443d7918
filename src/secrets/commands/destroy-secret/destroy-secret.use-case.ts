import { defineUseCase } from '../../../kernel/use-case.js';
import { secretResource } from '../../secret-resource.js';
import { DestroySecretCommand, destroySecretInput, type DestroyResult, type DestroySecretInput } from './destroy-secret.command.js';
import { DestroySecretHandler } from './destroy-secret.handler.js';

/**
 * `admin`: a destroy cannot be undone by anyone (no recovery window, no backup of the log brings the
 * value back through Strongroom), so it is not granted with `delete`, which stays restorable.
 */
export const DestroySecret = defineUseCase<DestroySecretInput, DestroyResult>({
  name: 'DestroySecret',
  kind: 'command',
  summary: 'Make the values of some versions (or of every version, ending the secret) unrecoverable; the events stay and audit verify still passes.',
  message: DestroySecretCommand,
  handler: DestroySecretHandler,
  input: destroySecretInput,
  capability: 'admin',
  resource: secretResource,
  http: [
    { method: 'POST', path: '/v1/envs/:env/secrets/:ref/destroy' },
    { method: 'POST', path: '/v1/secrets/:ref/destroy' },
  ],
});
