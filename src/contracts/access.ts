/**
 * The wire contract of tokens, policies and callers (see secrets.ts for why contracts live here):
 * result shapes shared by the server's use cases and the client SDK. Imports nothing.
 */

/** What a policy can grant. `admin` covers tokens, policies, environments and keys. */
export const CAPABILITIES = ['list', 'describe', 'read', 'create', 'update', 'rotate', 'delete', 'audit', 'admin'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/**
 * Who is asking (DESIGN.md section 2: authenticate -> Principal). A principal is a named identity:
 * a service or a person holding a token, the local operator holding the master key, or Strongroom
 * itself (start-up work, timers).
 */
export type PrincipalKind = 'service' | 'person' | 'local' | 'system';

export interface CreatedToken {
  readonly tokenId: string;
  /** The token itself: shown this once, stored nowhere (the log holds its SHA-256 digest only). */
  readonly token: string;
  readonly principal: string;
  readonly kind: 'service' | 'person';
  readonly policies: readonly string[];
  readonly root: boolean;
  readonly expiresAt: string | null;
  readonly position: number;
}

export interface TokenRevocation {
  readonly tokenId: string;
  readonly revoked: boolean;
  /** Pass it as X-Strongroom-Min-Position to any replica: from then on the token gets 401 there too. */
  readonly position: number;
}

export interface PolicySetResult {
  readonly name: string;
  readonly version: number;
  /** False when the document was already the one in force (nothing was recorded). */
  readonly changed: boolean;
  readonly position: number;
}

export interface PolicyVersionView {
  readonly version: number;
  /** The document in its authoring form; null for a deletion. */
  readonly document: object | null;
  readonly deleted: boolean;
  readonly setAt: string;
  readonly setBy: string;
}

export interface PolicyView {
  readonly name: string;
  /** The version asked for, or the one in force. */
  readonly current: PolicyVersionView;
  /** Every version, oldest first (the policy's history). */
  readonly history: readonly PolicyVersionView[];
}

/** What the caller may do in one environment (`*`: actions spanning every environment, such as the audit log). */
export interface EnvironmentRights {
  readonly env: string;
  /** Capabilities granted on every secret of the environment and on environment-wide actions. */
  readonly all: Capability[];
  /** Capabilities granted on at least one secret there (a superset of `all`); the server still decides per secret. */
  readonly some: Capability[];
}

/** Who the caller is and what its policies grant it, computed by the gate's own authorisation function. */
export interface CallerDescription {
  readonly principal: string;
  readonly kind: PrincipalKind;
  /** The token that authenticated the request; null for the local operator. */
  readonly tokenId: string | null;
  readonly root: boolean;
  readonly policies: readonly string[];
  /** One entry per environment where it holds any capability, `*` first; none are left out for root. */
  readonly environments: EnvironmentRights[];
}

export interface PolicySummary {
  readonly name: string;
  readonly version: number;
  readonly rules: number;
  readonly setAt: string;
  readonly setBy: string;
  /** Active tokens holding it. */
  readonly tokens: number;
}

/** A token as listed: never the token, never its digest. */
export interface TokenSummary {
  readonly tokenId: string;
  readonly principal: string;
  readonly kind: 'service' | 'person';
  readonly policies: readonly string[];
  readonly root: boolean;
  readonly legacy: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly rotatedAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly status: 'active' | 'expired' | 'revoked';
}
