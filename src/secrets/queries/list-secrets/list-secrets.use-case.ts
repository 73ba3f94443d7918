import { defineUseCase } from '../../../kernel/use-case.js';
import { ListSecretsHandler } from './list-secrets.handler.js';
import { ListSecretsQuery, listSecretsInput, type ListSecretsInput, type SecretPage } from './list-secrets.query.js';

export const ListSecrets = defineUseCase<ListSecretsInput, SecretPage>({
  name: 'ListSecrets',
  kind: 'query',
  summary: 'List the secrets of an environment the caller may list, in name order, with status (deleted, expired), stages, tags; filter by prefix and tag; page by limit and cursor. Never values.',
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
