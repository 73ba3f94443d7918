import { call } from './transport.js';
import type { AuditEntry } from './logic/timeline.js';

/**
 * The one module through which the console calls the API: every page uses these functions and nothing
 * else (the live feed aside, see live-feed.ts). Result shapes are the fields the console shows of the
 * API's answers (README's HTTP API section); values appear only in `SecretRead`.
 */

export interface Environment {
  readonly env: string;
  readonly liveSecrets: number;
  readonly activeKeyId: string;
}

export interface SecretSummary {
  readonly id: string;
  readonly name: string;
  readonly env: string;
  readonly version: number;
  readonly latestVersion: number;
  readonly keyId: string;
  readonly status: 'active' | 'expired' | 'deleted';
  readonly stages: Readonly<Record<string, number>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastRotatedAt: string;
  readonly expiresAt: string | null;
  readonly rotation: { readonly every: string; readonly dueAt: string; readonly generated: boolean } | null;
  readonly deletedAt: string | null;
  readonly purgeAt: string | null;
  readonly destroyedVersions: readonly number[];
}

export interface SecretPage {
  readonly secrets: readonly SecretSummary[];
  readonly nextCursor: string | null;
}

export interface SecretHistoryEntry {
  readonly position: number;
  readonly type: string;
  readonly version: number;
  readonly keyId: string | null;
  readonly actor: string;
  readonly interface: string;
  readonly occurredAt: string;
}

export interface SecretHistory {
  readonly id: string;
  readonly name: string;
  readonly entries: readonly SecretHistoryEntry[];
}

export interface SecretRead {
  readonly version: number;
  readonly value?: string;
  readonly valueBase64?: string;
  readonly accessPosition: number;
}

export interface RotationStatusEntry {
  readonly id: string;
  readonly name: string;
  readonly every: string;
  readonly dueAt: string;
  readonly pendingVersion: number | null;
}

export interface RotationStatus {
  readonly overdue: readonly RotationStatusEntry[];
  readonly upcoming: readonly RotationStatusEntry[];
}

export interface KeyRotationRecord {
  readonly rotationId: string;
  readonly env: string;
  readonly newKeyId: string;
  readonly startedAt: string;
  readonly startedBy: string;
  readonly completedAt: string | null;
  readonly reEncrypted: number | null;
  readonly failures: readonly unknown[];
  readonly retiredKeyIds: readonly string[];
}

export interface RotateKeyResult {
  readonly rotationId: string;
  readonly reEncrypted: number;
  readonly failed: number;
}

export interface TokenSummary {
  readonly tokenId: string;
  readonly principal: string;
  readonly kind: 'service' | 'person';
  readonly policies: readonly string[];
  readonly root: boolean;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly status: 'active' | 'expired' | 'revoked';
}

export interface CreatedToken {
  readonly tokenId: string;
  readonly token: string;
  readonly principal: string;
}

export interface PolicySummary {
  readonly name: string;
  readonly version: number;
  readonly rules: number;
  readonly tokens: number;
}

export interface PolicyVersion {
  readonly version: number;
  readonly document: object | null;
  readonly deleted: boolean;
  readonly setAt: string;
  readonly setBy: string;
}

export interface PolicyView {
  readonly name: string;
  readonly current: PolicyVersion;
  readonly history: readonly PolicyVersion[];
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly events: number;
  readonly head: { readonly position: number; readonly hash: string } | null;
  readonly firstBad?: { readonly position: number; readonly problem: string; readonly detail: string };
}

/** The API as one signed-in principal sees it. Every function throws ApiError (code, message, status). */
export const apiFor = (token: string) => {
  const run = <T>(useCase: string, input: Record<string, unknown> = {}): Promise<T> => call(token, useCase, input) as Promise<T>;
  return {
    listEnvironments: () => run<Environment[]>('ListEnvironments'),
    listSecrets: (input: { env: string; prefix?: string; tag?: string; limit: number; cursor?: string }) => run<SecretPage>('ListSecrets', input),
    secretHistory: (env: string, ref: string) => run<SecretHistory>('GetSecretHistory', { env, ref }),
    /** An audited read: the server records it before it answers. */
    revealSecret: (env: string, ref: string) => run<SecretRead>('GetSecret', { env, ref }),
    newValue: (env: string, ref: string, value: string) => run<{ version: number }>('UpdateSecret', { env, ref, value }),
    rotateValue: (env: string, ref: string, value: string) => run<{ version: number }>('RotateSecret', { env, ref, value }),
    promote: (env: string, ref: string, version: number) => run<{ version: number }>('PromoteVersion', { env, ref, version }),
    deleteSecret: (env: string, ref: string) => run<{ purgeAt: string | null }>('DeleteSecret', { env, ref }),
    restoreSecret: (env: string, ref: string) => run<{ version: number }>('RestoreSecret', { env, ref }),
    rotationStatus: (env: string) => run<RotationStatus>('GetRotationStatus', { env }),
    auditTrail: (input: { from?: number; limit?: number; ref?: string; env?: string }) => run<AuditEntry[]>('GetAuditTrail', input),
    verifyLog: () => run<AuditVerification>('VerifyAuditLog'),
    keyRotations: (env: string) => run<{ rotations: KeyRotationRecord[] }>('GetKeyRotations', { env }),
    rotateKey: (env: string) => run<RotateKeyResult>('RotateKey', { env }),
    listTokens: () => run<TokenSummary[]>('ListTokens', { includeRevoked: true }),
    createToken: (input: { principal: string; kind: 'service' | 'person'; policies: string[]; ttl?: string }) => run<CreatedToken>('CreateToken', input),
    revokeToken: (tokenId: string) => run<{ revoked: boolean }>('RevokeToken', { tokenId }),
    listPolicies: () => run<PolicySummary[]>('ListPolicies'),
    getPolicy: (name: string) => run<PolicyView>('GetPolicy', { name }),
    setPolicy: (name: string, document: unknown) => run<{ version: number; changed: boolean }>('SetPolicy', { name, document }),
  };
};

export type Api = ReturnType<typeof apiFor>;
export { ApiError } from './transport.js';
