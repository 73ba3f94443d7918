/**
 * The wire contract of the audit queries (see secrets.ts for why contracts live here). Imports nothing.
 */

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
