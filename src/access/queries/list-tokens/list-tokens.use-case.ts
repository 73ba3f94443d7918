import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { ListTokensHandler } from './list-tokens.handler.js';
import { ListTokensQuery, listTokensInput, type ListTokensInput, type TokenSummary } from './list-tokens.query.js';

export const ListTokens = defineUseCase<ListTokensInput, TokenSummary[]>({
  name: 'ListTokens',
  kind: 'query',
  summary: 'List API tokens: principal, policies, status, expiry (never the token or its digest).',
  message: ListTokensQuery,
  handler: ListTokensHandler,
  input: listTokensInput,
  capability: 'admin',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'GET', path: '/v1/tokens' }],
});
