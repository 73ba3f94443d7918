import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { ListEnvironmentsHandler } from './list-environments.handler.js';
import { ListEnvironmentsQuery, listEnvironmentsInput, type EnvironmentSummary, type ListEnvironmentsInput } from './list-environments.query.js';

export const ListEnvironments = defineUseCase<ListEnvironmentsInput, EnvironmentSummary[]>({
  name: 'ListEnvironments',
  kind: 'query',
  summary: 'The environments the caller may list secrets in, with their active data key and number of live secrets.',
  message: ListEnvironmentsQuery,
  handler: ListEnvironmentsHandler,
  input: listEnvironmentsInput,
  capability: 'list',
  scope: 'any-in-env',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'GET', path: '/v1/envs' }],
});
