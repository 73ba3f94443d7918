import { ALL_ENVIRONMENTS } from '../../kernel/authorisation.js';
import { defineUseCase } from '../../kernel/use-case.js';
import { GetMetricsHandler } from './get-metrics.handler.js';
import { GetMetricsQuery, getMetricsInput, type GetMetricsInput, type MetricsExposition } from './get-metrics.query.js';

/**
 * Metrics need `audit` on every environment: they describe the whole service (request rates, denials,
 * failed authentications), though never a secret's name. Prometheus sends a token with
 * `authorization: { credentials_file: ... }`.
 */
export const GetMetrics = defineUseCase<GetMetricsInput, MetricsExposition>({
  name: 'GetMetrics',
  kind: 'query',
  summary: 'Prometheus metrics of this process: requests, latencies, commits, projection lag, rotations, denials, failed authentications.',
  message: GetMetricsQuery,
  handler: GetMetricsHandler,
  input: getMetricsInput,
  capability: 'audit',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'GET', path: '/metrics' }],
});
