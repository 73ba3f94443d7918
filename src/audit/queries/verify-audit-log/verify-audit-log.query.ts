import { Query } from '@nestjs/cqrs';

export interface AuditVerification {
  readonly ok: boolean;
  readonly events: number;
  readonly head: { readonly position: number; readonly hash: string } | null;
  readonly firstBad?: {
    readonly position: number;
    readonly stream: string;
    readonly revision: number;
    readonly problem: string;
    readonly detail: string;
  };
}

/** Recomputes every digest and the HMAC chain; optionally against an exported checkpoint (tail truncation). */
export class VerifyAuditLogQuery extends Query<AuditVerification> {
  constructor(readonly input: { readonly checkpoint?: { readonly position: number; readonly hash: string } } = {}) {
    super();
  }
}
