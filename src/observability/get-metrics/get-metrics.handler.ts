import { QueryHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../kernel/gated-handler.js';
import { StrongroomMetrics } from '../metrics.js';
import { GetMetricsQuery, type MetricsExposition } from './get-metrics.query.js';

@QueryHandler(GetMetricsQuery)
export class GetMetricsHandler extends GatedHandler<GetMetricsQuery, MetricsExposition> {
  constructor(private readonly metrics: StrongroomMetrics) {
    super();
  }

  protected handle(): Promise<MetricsExposition> {
    return this.metrics.exposition();
  }
}
