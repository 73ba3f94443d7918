import { Query } from '@nestjs/cqrs';

/** One event of the log as compliance sees it: who did what to which secret, never a value or key. */
export interface AuditEntry {
  readonly position: number;
  readonly stream: string;
  readonly type: string;
  readonly actor: string;
  readonly interface: string;
  readonly correlationId: string;
  readonly occurredAt: string;
  readonly secretId?: string;
  readonly name?: string;
  readonly version?: number;
  readonly keyId?: string;
  readonly rotationId?: string;
}

/** The whole log (paged), or one secret's changes and reads when `ref` is given. */
export class GetAuditTrailQuery extends Query<AuditEntry[]> {
  constructor(readonly input: { readonly ref?: unknown; readonly from?: unknown; readonly limit?: unknown } = {}) {
    super();
  }
}
