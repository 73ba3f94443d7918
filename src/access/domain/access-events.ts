/**
 * Events of identities and policies (DESIGN.md section 9). Tokens appear only as a SHA-256 digest of
 * the token text: the token itself is shown once to its creator and never recorded.
 */

export type PrincipalKindOfToken = 'service' | 'person';

export interface TokenCreatedData {
  readonly tokenId: string;
  /** The principal this token authenticates as (`payments-api`, `alice`). */
  readonly principal: string;
  readonly kind: PrincipalKindOfToken;
  readonly policies: readonly string[];
  readonly root: boolean;
  /** Hex SHA-256 of the whole token text. */
  readonly tokenHash: string;
  /** ISO-8601; absent = no expiry. */
  readonly expiresAt?: string;
  /** A token registered from an existing home's `api-token` file (no `srt_` prefix). */
  readonly legacy?: true;
}

export interface TokenRotatedData {
  readonly tokenId: string;
  readonly tokenHash: string;
  readonly expiresAt?: string;
}

export interface TokenRevokedData {
  readonly tokenId: string;
  readonly reason?: string;
}

/** The document in its authoring form (see policyDocumentForm); `version` counts from 1 per name. */
export interface PolicySetData {
  readonly name: string;
  readonly version: number;
  readonly document: object;
}

export interface PolicyDeletedData {
  readonly name: string;
  readonly version: number;
}

export type TokenEvent =
  | { readonly type: 'TokenCreated'; readonly data: TokenCreatedData }
  | { readonly type: 'TokenRotated'; readonly data: TokenRotatedData }
  | { readonly type: 'TokenRevoked'; readonly data: TokenRevokedData };

export type PolicyEvent = { readonly type: 'PolicySet'; readonly data: PolicySetData } | { readonly type: 'PolicyDeleted'; readonly data: PolicyDeletedData };

export const TOKEN_CATEGORY = 'token';
export const POLICY_CATEGORY = 'policy';

export const tokenStream = (tokenId: string): string => `${TOKEN_CATEGORY}-${tokenId}`;
export const policyStream = (name: string): string => `${POLICY_CATEGORY}-${name}`;

export const ACCESS_SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  TokenCreated: 1,
  TokenRotated: 1,
  TokenRevoked: 1,
  PolicySet: 1,
  PolicyDeleted: 1,
};
