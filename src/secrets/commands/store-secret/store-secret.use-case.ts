import { defineUseCase } from '../../../kernel/use-case.js';
import { validateName } from '../../domain/secret-rules.js';
import type { WriteResult } from '../../write-result.js';
import { StoreSecretCommand, storeSecretInput, type StoreSecretInput } from './store-secret.command.js';
import { StoreSecretHandler } from './store-secret.handler.js';

export const StoreSecret = defineUseCase<StoreSecretInput, WriteResult>({
  name: 'StoreSecret',
  kind: 'command',
  summary: 'Store a new secret (text or bytes) under a name no live secret of the environment holds.',
  message: StoreSecretCommand,
  handler: StoreSecretHandler,
  input: storeSecretInput,
  capability: 'create',
  resource: (input) => ({ env: input.env, secret: validateName(input.name) }),
  http: [
    { method: 'POST', path: '/v1/envs/:env/secrets', example: { env: 'default', name: 'payments/db', value: 's3cr3t', metadata: { team: 'payments' } } },
    { method: 'POST', path: '/v1/secrets' },
  ],
});
