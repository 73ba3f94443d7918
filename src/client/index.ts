/**
 * `strongroom/client`: Strongroom for services, as a client of a running server. Loads none of the
 * server's code or dependencies (test/client/client-imports.test.ts checks it), so it fits a service's
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
export type { WriteResult } from '../secrets/write-result.js';
export type { CallerDescription, EnvironmentRights } from '../access/queries/describe-caller/describe-caller.query.js';
export type { SecretPage, SecretSummary } from '../secrets/queries/list-secrets/list-secrets.query.js';
