import { defineUseCase } from '../../../kernel/use-case.js';
import { secretResource } from '../../secret-resource.js';
import { GetSecretHistoryHandler } from './get-secret-history.handler.js';
import { GetSecretHistoryQuery, getSecretHistoryInput, type GetSecretHistoryInput, type SecretHistory } from './get-secret-history.query.js';

export const GetSecretHistory = defineUseCase<GetSecretHistoryInput, SecretHistory>({
  name: 'GetSecretHistory',
  kind: 'query',
  summary: 'Every change of a secret (versions, rotations, re-encryptions, deletion) with who and when; never values.',
  message: GetSecretHistoryQuery,
  handler: GetSecretHistoryHandler,
  input: getSecretHistoryInput,
  capability: 'describe',
  resource: secretResource,
  http: [
    { method: 'GET', path: '/v1/envs/:env/secrets/:ref/history' },
    { method: 'GET', path: '/v1/secrets/:ref/history' },
    { method: 'GET', path: '/v1/envs/:env/secrets/:ref/rotations' },
    { method: 'GET', path: '/v1/secrets/:ref/rotations' },
  ],
});
