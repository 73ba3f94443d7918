import type { Slice } from '../../catalogue.js';
import { GetMetricsHttpController } from './get-metrics.http.controller.js';
import { GetMetrics } from './get-metrics.use-case.js';

export const getMetrics: Slice = { useCase: GetMetrics, http: [GetMetricsHttpController] };
