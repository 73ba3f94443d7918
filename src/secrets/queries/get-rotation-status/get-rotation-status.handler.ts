import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { CLOCK } from '../../../kernel/tokens.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import type { Clock } from '../../../shared/clock.js';
import { rotationDueAt } from '../../domain/secret-lifecycle.js';
import { GetRotationStatusQuery, type ExpiryStatusEntry, type GetRotationStatusInput, type RotationStatus, type RotationStatusEntry } from './get-rotation-status.query.js';

@QueryHandler(GetRotationStatusQuery)
export class GetRotationStatusHandler extends GatedHandler<GetRotationStatusQuery, RotationStatus> {
  constructor(
    private readonly projection: StrongroomProjection,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  protected async handle(input: GetRotationStatusInput, ticket: Ticket): Promise<RotationStatus> {
    const now = this.clock.now();
    const horizon = now.getTime() + (input.withinDays ?? 30) * 86_400_000;
    const overdue: RotationStatusEntry[] = [];
    const upcoming: RotationStatusEntry[] = [];
    const expiring: ExpiryStatusEntry[] = [];
    for (const s of this.projection.liveSecrets(input.env)) {
      const dueAt = rotationDueAt(s);
      const expiresAt = s.expiresAt === null ? null : Date.parse(s.expiresAt);
      const expiresSoon = expiresAt !== null && expiresAt <= horizon;
      if ((dueAt === null || s.rotation === null) && !expiresSoon) continue;
      if (!ticket.authorise('list', { env: input.env, secret: s.name }).allowed) continue;
      if (expiresSoon && s.expiresAt !== null) expiring.push({ id: s.id, name: s.name, expiresAt: s.expiresAt, expired: s.expired || (expiresAt ?? 0) <= now.getTime() });
      if (dueAt === null || s.rotation === null) continue;
      const entry: RotationStatusEntry = {
        id: s.id,
        name: s.name,
        every: s.rotation.every,
        lastRotatedAt: s.lastRotatedAt,
        dueAt,
        generated: s.rotation.generate !== undefined,
        pendingVersion: s.stages.pending ?? null,
      };
      const t = Date.parse(dueAt);
      if (t <= now.getTime()) overdue.push(entry);
      else if (t <= horizon) upcoming.push(entry);
    }
    const byDue = (a: RotationStatusEntry, b: RotationStatusEntry): number => Date.parse(a.dueAt) - Date.parse(b.dueAt) || (a.name < b.name ? -1 : 1);
    const byExpiry = (a: ExpiryStatusEntry, b: ExpiryStatusEntry): number => Date.parse(a.expiresAt) - Date.parse(b.expiresAt) || (a.name < b.name ? -1 : 1);
    return { env: input.env, at: now.toISOString(), overdue: overdue.sort(byDue), upcoming: upcoming.sort(byDue), expiring: expiring.sort(byExpiry) };
  }
}
