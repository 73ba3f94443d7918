/**
 * The wire contract of the compliance queries (see secrets.ts for why contracts live here). Imports nothing.
 */

/** One line of a report; `kind` says which fields are set. */
export interface ReportRow {
  readonly kind: 'read' | 'denied' | 'authn-failed' | 'secret' | 'unread-secret' | 'unused-token';
  readonly position?: number;
  readonly at?: string;
  readonly principal?: string;
  readonly tokenId?: string;
  readonly interface?: string;
  readonly env?: string;
  readonly secret?: string;
  readonly version?: number;
  readonly capability?: string;
  /** The rule that allowed or refused (`root`, `policy vN #i`). */
  readonly rule?: string;
  readonly reason?: string;
  /** A historical read's position (`get-secret --at`). */
  readonly asOf?: number;
  /** Failed authentications this event counts. */
  readonly count?: number;
  readonly reads?: number;
  readonly readers?: number;
  readonly lastAccess?: string | null;
  readonly lastReader?: string | null;
  readonly createdAt?: string;
}

/**
 * Which accesses a report covers (GET /v1/audit/report's parameters, `strongroom audit report`'s flags).
 * Without `env` it spans every environment (and needs `audit` on all of them).
 */
export interface AccessReportFilter {
  /** From this log position, or ISO-8601 time (inclusive). */
  readonly from?: number | string;
  /** Up to this log position, or ISO-8601 time (inclusive). */
  readonly to?: number | string;
  /** Secret names matching this pattern, as in policies (`payments/*`, `**`). */
  readonly secret?: string;
  /** Only this principal's accesses. */
  readonly principal?: string;
  readonly env?: string;
  /** Also list secrets nobody read, and tokens nobody used, for this many days. */
  readonly unusedDays?: number;
}

/** Where a report's scan of the log stands: it reads the positions after `start` up to `head`. */
export interface ReportProgress {
  readonly start: number;
  readonly head: number;
  /** The log position of the last row received (`start` before the first). */
  readonly reached: number;
}

/**
 * The headers GET /v1/audit/report sends with its rows: the scan's range, so a remote reader can show
 * progress as the rows' positions advance.
 */
export const REPORT_START_HEADER = 'x-strongroom-report-start';
export const REPORT_HEAD_HEADER = 'x-strongroom-report-head';

/** A secret as `state --at` shows it: metadata only, never a value or a ciphertext. */
export interface SecretAt {
  readonly id: string;
  readonly name: string;
  readonly env: string;
  readonly version: number;
  readonly latestVersion: number;
  readonly stages: Readonly<Record<string, number>>;
  readonly keyId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastRotatedAt: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly expiresAt: string | null;
  readonly deletedAt: string | null;
  readonly destroyedVersions: readonly number[];
}

/** A token as it was: who it named, its policies and its dates; never its digest. */
export interface TokenAt {
  readonly tokenId: string;
  readonly principal: string;
  readonly kind: 'service' | 'person';
  readonly policies: readonly string[];
  readonly root: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly rotatedAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

/** A policy version in force then (deleted policies are left out). */
export interface PolicyAt {
  readonly name: string;
  readonly version: number;
  readonly setAt: string;
  readonly setBy: string;
  /** The document in its authoring form; null when the stored one does not parse (it granted nothing). */
  readonly document: object | null;
}

/** What a checkpoint states; the signature covers exactly these fields in this order. */
export interface CheckpointClaim {
  /** 1 for the first checkpoint of a log, then +1 each. */
  readonly sequence: number;
  /** The log position the heads are taken at. */
  readonly position: number;
  /** The public chain head P(position), hex SHA-256. */
  readonly publicHead: string;
  /** The keyed (HMAC) chain hash of the event at `position`. */
  readonly chainHash: string;
  /** ISO-8601 UTC, from the injected clock. */
  readonly signedAt: string;
  /** The previous checkpoint's signature; null for the first. */
  readonly previousSignature: string | null;
  /** The signing key's id: the first 16 hex digits of SHA-256 over its public key (SPKI DER). */
  readonly keyId: string;
}

/** A checkpoint with its signature, as recorded in the log, written to a checkpoint directory and exported. */
export interface SignedCheckpoint extends CheckpointClaim {
  /** Base64 Ed25519 signature over the claim. */
  readonly signature: string;
}

/** The secrets (metadata, never values), tokens and policies as the log held them at a moment. */
export interface StateAt {
  /** The position the state was folded up to. */
  readonly position: number;
  /** The time of the last change at or before it (null when resolved from a position, or before any change). */
  readonly occurredAt: string | null;
  /** Secrets holding a name then (deleted ones in their recovery window have `deletedAt`), by environment and name. */
  readonly secrets: readonly SecretAt[];
  /** Empty, and named in `withheld`, for a caller allowed audit in the environment asked for but not in every one. */
  readonly tokens: readonly TokenAt[];
  readonly policies: readonly PolicyAt[];
  /** What was left out because it spans every environment and the caller may audit only the one asked for. */
  readonly withheld: readonly ('tokens' | 'policies')[];
  /** Positions of events in the fold that did not parse (left out, as the projection leaves them out). */
  readonly unreadable: readonly number[];
}

/** What signing a checkpoint answers (SignCheckpoint; `strongroom audit sign`, POST /v1/audit/checkpoints). */
export interface CheckpointResult {
  /** False when `ifNewEvents` found too little new; `checkpoint` is then the last one (or null). */
  readonly signed: boolean;
  readonly checkpoint: SignedCheckpoint | null;
  /** Position of the AuditCheckpointSigned event that records it (null when none). */
  readonly eventPosition: number | null;
}

/** Why a replayed action is a finding (docs/COMPLIANCE.md); see src/compliance/policy-replay.ts. */
export type FindingKind = 'not-allowed' | 'denied-but-allowed' | 'token-unknown' | 'token-revoked' | 'token-expired' | 'unattributed';

/** One recorded action the policy of its time did not allow (or a refusal it would have allowed). */
export interface ReplayFinding {
  readonly kind: FindingKind;
  readonly position: number;
  readonly at: string;
  readonly type: string;
  readonly principal: string;
  readonly capability?: string;
  readonly env?: string;
  readonly secret?: string | null;
  readonly detail: string;
}

/** A what-if's refused actions of one principal on one secret (or environment) with one capability: how many, first and last time. */
export interface WhatIfGroup {
  readonly principal: string;
  readonly env: string;
  readonly secret: string | null;
  readonly capability: string;
  readonly count: number;
  readonly first: string;
  readonly last: string;
}

/** What a policy replay answers (ReplayPolicies; `strongroom audit replay`, GET /v1/audit/replay): counts are the evidence, findings the exceptions. */
export interface ReplayResult {
  /** Events read (the whole log up to `head`: the policy state needs every policy and token event). */
  readonly eventsRead: number;
  readonly head: number;
  /** Actions re-decided within the window. */
  readonly checked: number;
  /** Allowed actions the policy of their time allowed too. */
  readonly confirmedAllowed: number;
  /** Refusals (AccessDenied) the policy of their time refused too. */
  readonly confirmedDenied: number;
  /** Actions by Strongroom itself (timers, start-up): not decided by a policy. */
  readonly system: number;
  /** Event types that record no decision replay knows how to re-make, with counts. */
  readonly notChecked: Readonly<Record<string, number>>;
  /** At most MAX_FINDINGS, in log order; `findingsTotal` counts them all. */
  readonly findings: readonly ReplayFinding[];
  readonly findingsTotal: number;
  readonly whatIf?: WhatIfResult;
}

/** A what-if's answer: allowed actions the other rules would refuse, grouped; and what to doubt in them. */
export interface WhatIfResult {
  readonly against: string;
  readonly wouldDeny: number;
  readonly groups: readonly WhatIfGroup[];
  /**
   * Problems of a proposed document that make its figures misleading, in words for people: an
   * environment pattern that matches no environment the log has (a typo such as `prdo` grants nothing,
   * so what it was meant to allow counts as refused). Empty when there is none, and for `current`.
   */
  readonly warnings: readonly string[];
}
