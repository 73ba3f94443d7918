import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, positionInput, refInput } from '../../../secrets/secret-inputs.js';

export const getAuditTrailInput = z.object({ env: envInput, ref: refInput.optional(), from: positionInput.optional(), limit: positionInput.optional() }).strict();

export type GetAuditTrailInput = z.infer<typeof getAuditTrailInput>;

/** One event of the log as compliance sees it: who did what to which secret, never a value or key. */
export interface AuditEntry {
  readonly position: number;
  readonly stream: string;
  readonly type: string;
  readonly actor: string;
  readonly actorKind?: string;
  readonly tokenId?: string;
  readonly interface: string;
  readonly correlationId: string;
  readonly occurredAt: string;
  readonly secretId?: string;
  readonly name?: string;
  readonly env?: string;
  readonly version?: number;
  readonly keyId?: string;
  readonly rotationId?: string;
  /** For accesses and denials: the capability asked for. */
  readonly capability?: string;
  /** The policy rule that allowed a read or refused an action (`root`, or `policy vN #index`). */
  readonly rule?: string;
  /** Why an action was refused or an authentication failed. */
  readonly reason?: string;
  /** A historical read (`get-secret --at`): the log position whose value it returned. */
  readonly asOf?: number;
}

/** The whole log (paged), or one secret's changes and reads when `ref` is given. */
export class GetAuditTrailQuery extends Query<AuditEntry[]> implements GatedMessage<GetAuditTrailInput> {
  constructor(
    readonly input: GetAuditTrailInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}
