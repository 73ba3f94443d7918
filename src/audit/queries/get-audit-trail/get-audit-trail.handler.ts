import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { EVENT_LOG, type EventLog } from '../../../kernel/tokens.js';
import { AUDIT_READS_STREAM, recordListing } from '../../../secrets/listing-record.js';
import { SecretResolver } from '../../../secrets/secret-resolver.js';
import { accessStream } from '../../../secrets/secret-streams.js';
import { describeEvent } from '../../describe-event.js';
import { GetAuditTrailQuery, type AuditEntry, type GetAuditTrailInput } from './get-audit-trail.query.js';

const MAX_LIMIT = 10_000;

/** Who changed and who read: one secret's changes and accesses merged in log order, or the whole log. */
@QueryHandler(GetAuditTrailQuery)
export class GetAuditTrailHandler extends GatedHandler<GetAuditTrailQuery, AuditEntry[]> {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    private readonly resolver: SecretResolver,
  ) {
    super();
  }

  protected async handle(input: GetAuditTrailInput, ticket: Ticket): Promise<AuditEntry[]> {
    const from = input.from ?? 0;
    const limit = Math.min(input.limit ?? 1000, MAX_LIMIT);
    const entries = input.ref === undefined ? await this.wholeLog(from, limit) : await this.ofSecret(input.env, input.ref, from, limit);
    // Reading the audit trail is itself recorded (after the read, so the answer does not contain it).
    await recordListing(ticket, AUDIT_READS_STREAM, 'AuditTrailRead', {
      ...(input.ref !== undefined && { env: input.env, ref: input.ref }),
      from,
      returned: entries.length,
    });
    return entries;
  }

  private async wholeLog(from: number, limit: number): Promise<AuditEntry[]> {
    return (await this.log.readAll({ from, maxCount: limit })).map(describeEvent);
  }

  private async ofSecret(env: string, ref: string, from: number, limit: number): Promise<AuditEntry[]> {
    const { id, stream } = this.resolver.streamOf(env, ref);
    const [changes, reads] = await Promise.all([this.log.readStream(stream), this.log.readStream(accessStream(id))]);
    return [...changes.filter((e) => ((e.data ?? {}) as { secretId?: unknown }).secretId === id), ...reads]
      .filter((e) => e.position > from)
      .sort((a, b) => a.position - b.position)
      .slice(0, limit)
      .map(describeEvent);
  }
}
