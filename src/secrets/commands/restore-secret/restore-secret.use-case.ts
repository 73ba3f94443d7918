import { defineUseCase } from '../../../kernel/use-case.js';
import { secretResource } from '../../secret-resource.js';
import type { WriteResult } from '../../write-result.js';
import { RestoreSecretCommand, restoreSecretInput, type RestoreSecretInput } from './restore-secret.command.js';
import { RestoreSecretHandler } from './restore-secret.handler.js';

/** `delete`: undoing a delete belongs to whoever may delete (a restore gives no one more than they had). */
export const RestoreSecret = defineUseCase<RestoreSecretInput, WriteResult>({
  name: 'RestoreSecret',
  kind: 'command',
  summary: 'Bring back a deleted secret during its recovery window.',
  message: RestoreSecretCommand,
  handler: RestoreSecretHandler,
  input: restoreSecretInput,
  capability: 'delete',
  resource: secretResource,
  http: [
    { method: 'POST', path: '/v1/envs/:env/secrets/:ref/restore' },
    { method: 'POST', path: '/v1/secrets/:ref/restore' },
  ],
});
