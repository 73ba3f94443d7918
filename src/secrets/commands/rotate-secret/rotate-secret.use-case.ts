import { defineUseCase } from '../../../kernel/use-case.js';
import { secretResource } from '../../secret-resource.js';
import type { WriteResult } from '../../write-result.js';
import { RotateSecretCommand, rotateSecretInput, type RotateSecretInput } from './rotate-secret.command.js';
import { RotateSecretHandler } from './rotate-secret.handler.js';

export const RotateSecret = defineUseCase<RotateSecretInput, WriteResult>({
  name: 'RotateSecret',
  kind: 'command',
  summary: "Record a new value as a rotation: the old version stays in history and the secret's key age restarts.",
  message: RotateSecretCommand,
  handler: RotateSecretHandler,
  input: rotateSecretInput,
  capability: 'rotate',
  resource: secretResource,
  http: [
    { method: 'POST', path: '/v1/envs/:env/secrets/:ref/rotate' },
    { method: 'POST', path: '/v1/secrets/:ref/rotate' },
  ],
});
