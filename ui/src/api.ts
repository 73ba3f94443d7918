import { StrongroomClient } from '../../src/client/index.js';
import type { RotationStatus, SecretHistory, SecretHistoryEntry, SecretPage, SecretSummary } from '../../src/contracts/secrets.js';
import type { RotateKeyResult } from '../../src/contracts/keys.js';
import type { CreatedToken, PolicySummary, PolicyView, TokenSummary } from '../../src/contracts/access.js';
import type { AuditVerification } from '../../src/contracts/audit.js';
import type { CheckpointResult, ReplayResult, SignedCheckpoint, WhatIfGroup } from '../../src/contracts/compliance.js';
import type { EnvironmentRights } from './logic/permissions.js';
import type { AuditEntry } from './logic/timeline.js';

/**
 * The one module through which the console calls the API, by the TypeScript SDK: every page uses these
 * functions and nothing else (the live feed aside, a stream the SDK does not offer; see live-feed.ts). Result shapes
 * are the server's wire contract (src/contracts) where it defines them, else the fields the console shows of
 * the API's answers (README's HTTP API section); values appear only in `SecretRead`.
 */

export interface Environment {
  readonly env: string;
  readonly liveSecrets: number;
  readonly activeKeyId: string;
}

export interface SecretRead {
  readonly version: number;
  readonly value?: string;
  readonly valueBase64?: string;
  readonly accessPosition: number;
}

/** Result shapes the server's wire contract defines (src/contracts: framework-free, so the bundle may import it). */
export type { RotateKeyResult } from '../../src/contracts/keys.js';
export type { CreatedToken, PolicySummary, PolicyView, TokenSummary } from '../../src/contracts/access.js';
export type { AuditVerification } from '../../src/contracts/audit.js';
export type { ExpiryStatusEntry, RotationStatus, RotationStatusEntry, SecretHistory, SecretHistoryEntry, SecretPage, SecretSummary } from '../../src/contracts/secrets.js';

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

export interface PolicyVersion {
  readonly version: number;
  readonly document: object | null;
  readonly deleted: boolean;
  readonly setAt: string;
  readonly setBy: string;
}

// Checkpoints and replays as the server answers them (src/contracts/compliance.ts).
export type { CheckpointResult, ReplayResult, SignedCheckpoint, WhatIfGroup };

/**
 * The API as one signed-in principal sees it, through the TypeScript SDK (strongroom/client) over this
 * origin's HTTP API. Every function throws StrongroomClientError (the server's code, message, status).
 */
export const apiFor = (token: string) => {
  const client = new StrongroomClient({ url: location.origin, token });
  const env = (name: string): StrongroomClient => client.inEnvironment(name);
  const text = new TextDecoder('utf-8', { fatal: false });
  return {
    /** Who the token is and what it may do per environment; needs no capability and records nothing. */
    describeCaller: (): Promise<{ principal: string; environments: EnvironmentRights[] }> => client.describeCaller(),
    listEnvironments: (): Promise<Environment[]> => client.listEnvironments(),
    listSecrets: ({ env: name, ...options }: { env: string; prefix?: string; tag?: string; limit: number; cursor?: string }): Promise<SecretPage> =>
      env(name).listSecretsPage(options) as Promise<SecretPage>,
    secretHistory: (name: string, ref: string): Promise<SecretHistory> => env(name).getSecretHistory(ref),
    /** An audited read: the server records it before it answers. Bytes are shown as base64. */
    revealSecret: async (name: string, ref: string): Promise<SecretRead> => {
      const read = await env(name).readSecret(ref);
      return { version: read.version, accessPosition: read.accessPosition, ...(read.binary ? { valueBase64: base64Of(read.bytes) } : { value: text.decode(read.bytes) }) };
    },
    newValue: (name: string, ref: string, value: string): Promise<{ version: number }> => env(name).updateSecret(ref, value),
    rotateValue: (name: string, ref: string, value: string): Promise<{ version: number }> => env(name).rotateSecret(ref, value),
    /** The server generates the new value (32 alphanumeric characters) and never returns it from the rotation. */
    rotateGenerated: (name: string, ref: string): Promise<{ version: number }> => env(name).rotateSecret(ref, { generate: {} }),
    promote: (name: string, ref: string, version: number): Promise<{ version: number }> => env(name).promoteVersion(ref, version),
    deleteSecret: (name: string, ref: string): Promise<{ purgeAt: string | null }> => env(name).deleteSecretWithResult(ref),
    restoreSecret: (name: string, ref: string): Promise<{ version: number }> => env(name).restoreSecret(ref),
    rotationStatus: (name: string): Promise<RotationStatus> => env(name).getRotationStatus(),
    auditTrail: ({ env: name = 'default', ...options }: { from?: number; limit?: number; ref?: string; env?: string }): Promise<AuditEntry[]> => env(name).getAuditTrail(options),
    verifyLog: (): Promise<AuditVerification> => client.verifyAuditLog(),
    keyRotations: (name: string): Promise<{ rotations: readonly KeyRotationRecord[] }> => env(name).getKeyRotations(),
    // The SDK's rotateKey answers the rotation id only; the console shows the counts too, so it asks by name.
    rotateKey: (name: string): Promise<RotateKeyResult> => client.call('RotateKey', { env: name }, 'command') as Promise<RotateKeyResult>,
    listTokens: (): Promise<TokenSummary[]> => client.listTokens({ includeRevoked: true }),
    createToken: (input: { principal: string; kind: 'service' | 'person'; policies: string[]; ttl?: string }): Promise<CreatedToken> => client.createToken(input),
    revokeToken: (tokenId: string): Promise<{ revoked: boolean }> => client.revokeToken(tokenId),
    listPolicies: (): Promise<PolicySummary[]> => client.listPolicies(),
    getPolicy: (name: string): Promise<PolicyView> => client.getPolicy(name),
    /**
     * The last signed checkpoint without signing one: SignCheckpoint signs only when at least `ifNewEvents`
     * events followed the last, so the largest count answers the last checkpoint (or null) and records nothing.
     */
    lastCheckpoint: (): Promise<CheckpointResult> => client.call('SignCheckpoint', { ifNewEvents: Number.MAX_SAFE_INTEGER }) as Promise<CheckpointResult>,
    signCheckpoint: (): Promise<CheckpointResult> => client.call('SignCheckpoint', {}, 'command') as Promise<CheckpointResult>,
    /** The whole log as the auditor's export (JSON lines, one object per line, read whole by the SDK). */
    exportAuditLog: (): Promise<unknown[]> => client.call('ExportAuditLog', {}) as Promise<unknown[]>,
    /** What-if: which past allowed accesses `document` as policy `name` would refuse (the other policies as they are). */
    replayPolicy: (name: string, document: unknown): Promise<ReplayResult> => client.call('ReplayPolicies', { against: { policy: name, document } }) as Promise<ReplayResult>,
    setPolicy: (name: string, document: unknown): Promise<{ version: number; changed: boolean }> => client.setPolicy(name, document),
  };
};

const base64Of = (bytes: Uint8Array): string => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));

export type Api = ReturnType<typeof apiFor>;
/** What every API function throws: the server's typed code and message (never a value). */
export { StrongroomClientError as ApiError } from '../../src/client/index.js';
