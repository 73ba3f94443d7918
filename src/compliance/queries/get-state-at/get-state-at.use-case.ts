import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { GetStateAtHandler } from './get-state-at.handler.js';
import { GetStateAtQuery, getStateAtInput, type GetStateAtInput, type StateAt } from './get-state-at.query.js';

export const GetStateAt = defineUseCase<GetStateAtInput, StateAt>({
  name: 'GetStateAt',
  kind: 'query',
  summary: 'The secrets (metadata, never values), tokens and policies as they were at a log position or time; the read is recorded.',
  message: GetStateAtQuery,
  handler: GetStateAtHandler,
  input: getStateAtInput,
  // The environment the input names (its secrets); without one, the whole store. Tokens and policies
  // span every environment, so the handler gives them only to a caller allowed audit on every one.
  capability: 'audit',
  resource: (input) => ({ env: input.env ?? ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'GET', path: '/v1/state', example: { at: '2026-01-31T12:00:00Z', env: 'default' } }],
});
