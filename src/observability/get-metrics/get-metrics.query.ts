import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../kernel/ticket.js';

export const getMetricsInput = z.object({}).strict();

export type GetMetricsInput = z.infer<typeof getMetricsInput>;

/** The Prometheus text exposition (format 0.0.4) and its content type. */
export interface MetricsExposition {
  readonly text: string;
  readonly contentType: string;
}

/** This process's metrics, for a Prometheus scrape (see StrongroomMetrics for what they hold). */
export class GetMetricsQuery extends Query<MetricsExposition> implements GatedMessage<GetMetricsInput> {
  constructor(
    readonly input: GetMetricsInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}
