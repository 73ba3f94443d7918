import { defineUseCase } from '../../../kernel/use-case.js';
import { ListSecretsHandler } from './list-secrets.handler.js';
import { ListSecretsQuery, listSecretsInput, type ListSecretsInput, type SecretSummary } from './list-secrets.query.js';

export const ListSecrets = defineUseCase<ListSecretsInput, SecretSummary[]>({
  name: 'ListSecrets',
  kind: 'query',
  summary: 'List the live secrets of an environment that the caller may list (metadata only where it may describe; never values).',
  message: ListSecretsQuery,
  handler: ListSecretsHandler,
  input: listSecretsInput,
  capability: 'list',
  scope: 'any-in-env',
  resource: (input) => ({ env: input.env, secret: null }),
  http: [
    { method: 'GET', path: '/v1/envs/:env/secrets' },
    { method: 'GET', path: '/v1/secrets' },
  ],
});
