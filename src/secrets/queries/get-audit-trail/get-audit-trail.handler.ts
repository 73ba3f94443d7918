import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE } from '../../../app/tokens.js';
import { describeEvent } from '../../../audit/describe-event.js';
import type { EventStore } from '../../../event-store/event-store.port.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { SecretResolver } from '../../secret-resolver.js';
import { accessStream } from '../../secret-streams.js';
import { GetAuditTrailQuery, type AuditEntry } from './get-audit-trail.query.js';

const MAX_LIMIT = 10_000;

const nonNegative = (raw: unknown, fallback: number, what: string): number => {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new StrongroomError(ErrorCode.InvalidInput, `${what} must be a non-negative integer`);
  return n;
};

/** Who changed and who read: one secret's changes and accesses merged in log order, or the whole log. */
@QueryHandler(GetAuditTrailQuery)
export class GetAuditTrailHandler implements IQueryHandler<GetAuditTrailQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly resolver: SecretResolver,
  ) {}

  async execute({ input }: GetAuditTrailQuery): Promise<AuditEntry[]> {
    const from = nonNegative(input.from, 0, 'from');
    const limit = Math.min(nonNegative(input.limit, 1000, 'limit'), MAX_LIMIT);
    if (input.ref === undefined || input.ref === null || input.ref === '') {
      return (await this.store.readAll({ from, maxCount: limit })).map(describeEvent);
    }
    const { id, stream } = this.resolver.streamOf(input.ref);
    const [changes, reads] = await Promise.all([this.store.readStream(stream), this.store.readStream(accessStream(id))]);
    return [...changes.filter((e) => ((e.data ?? {}) as { secretId?: unknown }).secretId === id), ...reads]
      .filter((e) => e.position > from)
      .sort((a, b) => a.position - b.position)
      .slice(0, limit)
      .map(describeEvent);
  }
}
