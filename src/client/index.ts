/**
 * `strongroom/client`: Strongroom for services, as a client of a running server. Loads none of the
 * server's code or dependencies (test/client/client-install.test.ts checks it), so it fits a service's
 * install and a browser bundle alike.
 */
export { StrongroomClient } from './strongroom-client.js';
export type { GenerateOptions, KeyAge, LifecycleOptions, ListOptions, Metadata, ReadOptions, RotationHistory, SecretValue, StrongroomClientOptions } from './strongroom-client.js';
export { StrongroomClientError, isClientError, type ClientErrorCode } from './errors.js';
export type { RetryPolicy } from './retry.js';
export type { AuditFeedMessage, AuditFeedOptions } from './audit-feed.js';
export type { StrongroomEvent, Unwatch, WatchOptions } from './events.js';
export { VALUE_CHANGING_EVENTS } from './events.js';
export type { CallOptions, Reply, Transport } from './transport.js';
export { HttpTransport, type HttpTransportOptions } from './http-transport.js';
// The wire contract: every result shape a method answers, importable by the client's users.
export type { Capability, CallerDescription, CreatedToken, EnvironmentRights, PolicySetResult, PolicySummary, PolicyVersionView, PolicyView, PrincipalKind, TokenRevocation, TokenSummary } from '../contracts/access.js';
export type { AuditEntry, AuditVerification } from '../contracts/audit.js';
export type { EnvironmentCreated, EnvironmentSummary, KeyRotations, MasterKeyHistory, MasterKeyRotationMode, MasterRotationRecord, RotateKeyResult, RotateMasterKeyResult, RotationRecord } from '../contracts/keys.js';
export type { DeleteResult, DestroyResult, ExpiryStatusEntry, PromoteResult, RotationStatus, RotationStatusEntry, SecretHistory, SecretHistoryEntry, SecretMetadata, SecretPage, SecretSummary, SecretTags, WriteResult } from '../contracts/secrets.js';
export type { AccessReportFilter, CheckpointClaim, CheckpointResult, FindingKind, PolicyAt, ReplayFinding, ReplayResult, ReportProgress, ReportRow, SecretAt, SignedCheckpoint, StateAt, TokenAt, WhatIfGroup, WhatIfResult } from '../contracts/compliance.js';
