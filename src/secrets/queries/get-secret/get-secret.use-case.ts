import { defineUseCase } from '../../../kernel/use-case.js';
import { secretResource } from '../../secret-resource.js';
import { GetSecretHandler } from './get-secret.handler.js';
import { GetSecretQuery, getSecretInput, type GetSecretInput, type SecretRead } from './get-secret.query.js';

export const GetSecret = defineUseCase<GetSecretInput, SecretRead>({
  name: 'GetSecret',
  kind: 'query',
  summary: 'Read a secret value (current or an earlier version); the read is recorded durably before the value is returned.',
  message: GetSecretQuery,
  handler: GetSecretHandler,
  input: getSecretInput,
  capability: 'read',
  resource: secretResource,
  http: [
    { method: 'GET', path: '/v1/envs/:env/secrets/:ref', example: { env: 'default', ref: 'payments/db', version: 1 } },
    { method: 'GET', path: '/v1/secrets/:ref' },
  ],
});
