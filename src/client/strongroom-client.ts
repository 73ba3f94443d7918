import { isClientError, StrongroomClientError } from './errors.js';
import { hasUserinfo, redactUrl } from './redact-url.js';
import { HttpTransport } from './http-transport.js';
import type { AuditFeedMessage, AuditFeedOptions } from './audit-feed.js';
import { withRetries, type RetryPolicy } from './retry.js';
import type { Reply, StreamOptions, Transport } from './transport.js';
import type { StrongroomEvent, Unwatch, WatchOptions } from './events.js';
import { ValueCache } from './value-cache.js';
import { loadNatsTransport } from './optional-peer.js';
import { valueBytes, valueFields, valueText } from './wire-value.js';
// The wire contract (src/contracts/): result shapes shared with the server, in files that import nothing.
import type { CallerDescription, CreatedToken, PolicySetResult, PolicySummary, PolicyView, TokenRevocation, TokenSummary } from '../contracts/access.js';
import type { AuditEntry, AuditVerification } from '../contracts/audit.js';
import type { EnvironmentCreated, EnvironmentSummary, KeyRotations, RotateKeyResult, RotateMasterKeyResult } from '../contracts/keys.js';
import { REPORT_HEAD_HEADER, REPORT_START_HEADER, type AccessReportFilter, type CheckpointResult, type ReplayResult, type ReportProgress, type ReportRow, type StateAt } from '../contracts/compliance.js';
import type { DeleteResult, DestroyResult, GenerateOptions, LifecycleOptions, ListOptions, Metadata, PromoteResult, RotationStatus, SecretHistory, SecretPage, SecretSummary, WriteResult } from '../contracts/secrets.js';
export type { GenerateOptions, LifecycleOptions, ListOptions, Metadata };

/** Which version a read returns: a number, or the version holding a stage. */
export interface ReadOptions {
  readonly version?: number;
  readonly stage?: string;
  readonly minPosition?: number;
}

/** A read with its metadata, as `readSecret` answers it. */
export interface SecretValue {
  readonly id: string;
  readonly name: string;
  readonly env: string;
  readonly version: number;
  readonly stages: readonly string[];
  /** Exactly the bytes stored. */
  readonly bytes: Uint8Array;
  /** True when the value is bytes, false when UTF-8 text. */
  readonly binary: boolean;
  /** Log position of the durable SecretAccessed event that recorded this read. */
  readonly accessPosition: number;
}

/** Rotation history, as SecretManager.getRotationHistory answers it. */
export type RotationHistory =
  | { readonly kind: 'keys'; readonly rotations: KeyRotations['rotations']; readonly master: KeyRotations['master'] }
  | {
      readonly kind: 'secret';
      readonly name: string;
      readonly rotations: readonly { readonly secretId: string; readonly name: string; readonly version: number; readonly rotatedAt: string; readonly actor: string }[];
    };

export interface KeyAge {
  readonly name: string;
  readonly lastRotatedAt: string;
  readonly ageDays: number;
  readonly maxAgeDays: number;
  readonly needsRotation: boolean;
}

export interface StrongroomClientOptions {
  /** The server: `http(s)://host:port` for the HTTP API. */
  readonly url: string;
  /** The caller's API token (its policies apply). Never logged, never in an error message. */
  readonly token: string;
  /** The environment every call works in (default `default`). */
  readonly environment?: string;
  /** Retries on 503 and on an unreachable server (see RetryPolicy for the defaults). */
  readonly retry?: RetryPolicy;
  /** A fetch implementation for the HTTP transport (default: the global one). */
  readonly fetch?: typeof fetch;
  /** Any transport instead of the one `url` names (tests, custom routing). */
  readonly transport?: Transport;
  /**
   * Send an idempotency key with every write, so a write retried after a lost answer acts once (default
   * true). Each keyed write records one small extra event on the server; false saves it and makes a
   * retried write possibly act twice.
   */
  readonly idempotentWrites?: boolean;
  /** NATS only: the server's subject prefix (STRONGROOM_NATS_PREFIX; default `strongroom`). */
  readonly prefix?: string;
  /** NATS only: how long a request waits for its reply (ms, default 30,000). */
  readonly timeoutMs?: number;
  /**
   * Keep current values in memory until a change event for their secret arrives (StrongroomClient.connect
   * over `nats://` only: it needs the events). A hit is not an audited read. Default off.
   */
  readonly cache?: boolean | { readonly maxEntries?: number };
}

/** Shared by a client and the clients `inEnvironment` derives from it: one session, one last write. */
interface Session {
  readonly transport: Transport;
  readonly retry: RetryPolicy;
  readonly idempotentWrites: boolean;
  cache: ValueCache | null;
  stopCache: Unwatch | null;
  /** The highest log position this session wrote (0: none yet); every call asks the server to have applied it. */
  position: number;
}

// How inEnvironment hands its session to the constructor without a second public constructor signature.
const derivedSessions = new WeakMap<StrongroomClientOptions, Session>();

const newIdempotencyKey = (): string => globalThis.crypto.randomUUID();

/**
 * Strongroom for services, over its HTTP API: the methods of SecretManager (src/interfaces/library/
 * secret-manager.ts) with the same arguments and results, running on a server under the caller's token.
 *
 * - Typed errors: every failure is a StrongroomClientError whose `code` is the server's (ErrorCode).
 * - Read your writes: the client remembers the log position of its last write and sends it with every
 *   later call, so a replica behind that write waits for it before answering.
 * - Retries with backoff on 503 and when no server answers; each write carries an idempotency key,
 *   reused across its retries, so the server can act on it once.
 *
 * Browser-safe: this module and the HTTP transport use the global fetch, btoa and crypto.randomUUID only.
 * @throws StrongroomClientError from every method.
 */
export class StrongroomClient {
  private readonly session: Session;
  /** The environment this client's calls work in. */
  readonly environment: string;

  /** A client over HTTP (`url` is `http://` or `https://`), or over `options.transport`. @throws INVALID_INPUT for another URL */
  constructor(options: StrongroomClientOptions) {
    if (options.cache && !derivedSessions.has(options)) {
      throw new StrongroomClientError('INVALID_INPUT', 'a value cache needs change events: create the client with StrongroomClient.connect over nats://');
    }
    this.session = derivedSessions.get(options) ?? {
      transport: options.transport ?? httpTransport(options),
      retry: options.retry ?? {},
      idempotentWrites: options.idempotentWrites ?? true,
      position: 0,
      cache: null,
      stopCache: null,
    };
    this.environment = options.environment ?? 'default';
  }

  /**
   * A connected client: over HTTP for `http(s)://`, over the NATS bus for `nats://` (the NATS client is
   * loaded only then), with the value cache when `options.cache` asks for it (NATS only).
   * @throws UNREACHABLE when no NATS server answers; INVALID_INPUT for a cache over HTTP or another URL;
   *   MISSING_DEPENDENCY for `nats://` when @nats-io/transport-node or @nats-io/jetstream is not installed
   */
  static async connect(options: StrongroomClientOptions): Promise<StrongroomClient> {
    let transport = options.transport;
    if (transport === undefined && /^(nats|tls|wss?):\/\//i.test(options.url)) {
      checkToken(options.token);
      const { NatsTransport } = await loadNatsTransport();
      transport = await NatsTransport.connect({ url: options.url, token: options.token, ...(options.prefix && { prefix: options.prefix }), ...(options.timeoutMs && { timeoutMs: options.timeoutMs }) });
    }
    transport ??= httpTransport(options);
    const session: Session = { transport, retry: options.retry ?? {}, idempotentWrites: options.idempotentWrites ?? true, position: 0, cache: null, stopCache: null };
    if (options.cache) {
      const { watch, onGap } = transport;
      if (watch === undefined || onGap === undefined) {
        await transport.close();
        throw new StrongroomClientError('INVALID_INPUT', 'a value cache needs change events: connect over nats://');
      }
      const cache = new ValueCache(typeof options.cache === 'object' ? (options.cache.maxEntries ?? 1000) : 1000);
      onGap.call(transport, () => cache.clear());
      session.stopCache = await watch.call(transport, '*', {}, (event) => cache.onEvent(event));
      session.cache = cache;
    }
    const derived: StrongroomClientOptions = { url: '', token: '', ...(options.environment && { environment: options.environment }) };
    derivedSessions.set(derived, session);
    return new StrongroomClient(derived);
  }

  /**
   * Calls `onEvent` with every change event of this client's environment (or `options.env`; `*` for all)
   * as it is published: metadata only (docs/EVENTS.md). Over NATS; the HTTP API has no event feed.
   * @throws NOT_IMPLEMENTED over HTTP
   */
  async watch(onEvent: (event: StrongroomEvent) => void, options: WatchOptions = {}): Promise<Unwatch> {
    const { watch } = this.session.transport;
    if (watch === undefined) throw new StrongroomClientError('NOT_IMPLEMENTED', 'watching events needs the bus: connect with StrongroomClient.connect over nats://');
    return watch.call(this.session.transport, this.environment, options, onEvent);
  }

  /**
   * The audit trail live: every entry (metadata only, as getAuditTrail describes it) as it is committed,
   * from after `options.from` (a log position) or from the head. One connection: when it ends (an `end`
   * message, or an UNREACHABLE error) call again with the last position seen and nothing is missed or
   * repeated. Needs the audit capability, like getAuditTrail; the server records the read.
   * @throws NOT_IMPLEMENTED over NATS (the bus carries change events: use watch); the server's code
   *   (UNAUTHENTICATED, ACCESS_DENIED) when the feed is refused
   */
  followAuditTrail(options: AuditFeedOptions = {}): AsyncIterable<AuditFeedMessage> {
    const { transport } = this.session;
    if (transport.auditFeed === undefined) throw new StrongroomClientError('NOT_IMPLEMENTED', 'the live audit trail is served over HTTP; connect with an http(s):// URL');
    return transport.auditFeed(options);
  }

  /**
   * An access report (who read which secret, when, through which interface, under which rule; denials,
   * failed authentications; then per-secret summaries and, with `unusedDays`, unread secrets and unused
   * tokens), row by row as the server reads the log. Over HTTP the rows arrive as the server streams
   * them (a year of history never sits in memory); over NATS the bus answers once, with at most 10,000
   * rows (src/interfaces/bus/bus-json.ts). Needs `audit`; without `filter.env` it spans every environment.
   * `onProgress` is told the scan's range when the report opens and the position of each row after.
   * @throws StrongroomClientError INVALID_INPUT for a bad filter, or over NATS for a report beyond the
   *   bus's limit (its message names GET /v1/audit/report); ACCESS_DENIED without `audit`
   */
  accessReport(filter: AccessReportFilter = {}, options: { onProgress?: (progress: ReportProgress) => void } = {}): AsyncIterable<ReportRow> {
    const { onProgress } = options;
    let range: { start: number; head: number } | null = null;
    const progress = (reached: number): void => {
      if (onProgress !== undefined && range !== null) onProgress({ ...range, reached });
    };
    const begin = (start: unknown, head: unknown): void => {
      if (typeof start !== 'number' || typeof head !== 'number' || !Number.isSafeInteger(start) || !Number.isSafeInteger(head)) return;
      range = { start, head };
      progress(start);
    };
    return this.streamed('GetAccessReport', { ...filter }, {
      opened: (header) => begin(Number(header(REPORT_START_HEADER) ?? Number.NaN), Number(header(REPORT_HEAD_HEADER) ?? Number.NaN)),
      line: (line) => {
        const row = parseLine(line) as ReportRow;
        if (typeof row.position === 'number') progress(row.position);
        return row;
      },
      collected: (result) => {
        const { start, head, rows } = result as { start?: unknown; head?: unknown; rows?: readonly ReportRow[] };
        begin(start, head);
        return rows ?? [];
      },
    });
  }

  /**
   * The audit log for auditors (docs/COMPLIANCE.md): the export's JSON lines exactly as the server
   * wrote them (the header, then one line per event: metadata and digests, never a value, ciphertext
   * or key), so `strongroom audit verify --export` checks them byte for byte. `from` starts after a
   * position (0, or a checkpoint's). `follow` (HTTP only) keeps streaming events as they are committed,
   * until `signal` aborts. Over NATS the bus answers once, with at most 10,000 pages of events.
   * @throws StrongroomClientError INVALID_INPUT for `follow` over NATS, or beyond the bus's limit (its
   *   message names GET /v1/audit/export); ACCESS_DENIED without `audit`
   */
  exportAuditLog(options: { from?: number; follow?: boolean; signal?: AbortSignal } = {}): AsyncIterable<string> {
    const { signal, ...input } = options;
    return this.streamed('ExportAuditLog', input, {
      line: (line) => line,
      collected: (result) => {
        const { header, pages } = result as { header?: unknown; pages?: readonly (readonly unknown[])[] };
        // The same JSON text as the server's own lines: JSON.stringify keeps the parsed key order.
        return [JSON.stringify(header), ...(pages ?? []).flatMap((page) => page.map((event) => JSON.stringify(event)))];
      },
      ...(signal && { signal }),
    });
  }

  /**
   * The secrets (metadata, never values), tokens and policies as the log held them at a log position or
   * an ISO-8601 time (GetStateAt; `strongroom state --at`). `env` limits the secrets to one environment.
   * Needs `audit`. @throws StrongroomClientError INVALID_INPUT for a time in the future or a bad `at`;
   *   ENVIRONMENT_NOT_FOUND; ACCESS_DENIED without `audit`
   */
  async getStateAt(at: number | string, options: { env?: string } = {}): Promise<StateAt> {
    return (await this.read('GetStateAt', { at, ...options })) as StateAt;
  }

  /**
   * Signs a checkpoint of the log's head now (SignCheckpoint; `strongroom audit sign`): position, public
   * and keyed chain heads, time and the previous signature, recorded in the log. Needs `audit`.
   * @throws StrongroomClientError KEY_UNAVAILABLE when the server's signing key is missing or not the key
   *   of the last checkpoint; LOG_GAP when the log has a hole; ACCESS_DENIED without `audit`
   */
  async signCheckpoint(): Promise<CheckpointResult> {
    return this.write<CheckpointResult>('SignCheckpoint', {});
  }

  /**
   * Re-decides every recorded access, refusal and administrative action against the policy in force at
   * its position (ReplayPolicies; `strongroom audit replay`): no findings on an honest log. `from`/`to`
   * are positions or ISO times; `against` asks the what-if: `current` policies, or a proposed document
   * for one policy. Needs `audit` on every environment.
   * A proposed policy the log does not have (yet), or an environment pattern matching none, is a warning
   * in `whatIf.warnings`. @throws StrongroomClientError INVALID_INPUT
   *   for a bad window or document; LOG_GAP on a log with a hole; ACCESS_DENIED without `audit`
   */
  async replayPolicies(options: { from?: number | string; to?: number | string; against?: 'current' | { policy: string; document: unknown } } = {}): Promise<ReplayResult> {
    return (await this.read('ReplayPolicies', { ...options })) as ReplayResult;
  }

  /** How many reads the value cache answered (0 without a cache). */
  get cacheHits(): number {
    return this.session.cache?.hits ?? 0;
  }

  /** The same session (token, connection, last write) in another environment. */
  inEnvironment(environment: string): StrongroomClient {
    const options: StrongroomClientOptions = { url: '', token: '', environment };
    derivedSessions.set(options, this.session);
    return new StrongroomClient(options);
  }

  /** Log position of this session's last write (0 before the first). */
  get lastWritePosition(): number {
    return this.session.position;
  }

  /** Stores a new secret (text or bytes); returns its id. @throws SECRET_NAME_CONFLICT, VALUE_TOO_LARGE, ACCESS_DENIED */
  async storeSecret(name: string, value: string | Uint8Array, metadata?: Metadata, options: LifecycleOptions = {}): Promise<string> {
    return (await this.storeSecretWithResult(name, value, metadata, options)).id;
  }

  /** As storeSecret, answering the whole write result (id, version, position). */
  async storeSecretWithResult(name: string, value: string | Uint8Array, metadata?: Metadata, options: LifecycleOptions = {}): Promise<WriteResult> {
    return this.write('StoreSecret', { env: this.environment, name, ...valueFields(value), metadata, ...options });
  }

  /** A new version; with `expectedVersion` a check-and-set (VERSION_CONFLICT when it no longer holds). */
  async updateSecret(ref: string, value: string | Uint8Array, options: { expectedVersion?: number; metadata?: Metadata } & LifecycleOptions = {}): Promise<WriteResult> {
    return this.write('UpdateSecret', { env: this.environment, ref, ...valueFields(value), ...options });
  }

  /** Metadata, tags, expiry or rotation schedule, without a new value version. */
  updateSecretMetadata(ref: string, change: { metadata?: Metadata } & LifecycleOptions): Promise<WriteResult> {
    return this.write('UpdateSecretMetadata', { env: this.environment, ref, ...change });
  }

  /** A text value by id (an audited read), or null when there is no such live secret. @throws INVALID_INPUT for bytes */
  async getSecret(id: string, options: ReadOptions = {}): Promise<string | null> {
    return asText(await this.readSecretOrNull(id, options));
  }

  /** A text value by name (an audited read), or null. @throws SECRET_EXPIRED past its expiry. */
  async getSecretByName(name: string, options: ReadOptions = {}): Promise<string | null> {
    return asText(await this.readSecretOrNull(name, options));
  }

  /** Any value as bytes, exactly as stored; null when there is no such live secret. */
  async getSecretBytes(ref: string, options: ReadOptions = {}): Promise<Uint8Array | null> {
    return (await this.readSecretOrNull(ref, options))?.bytes ?? null;
  }

  /** A value with its version, stages and access position (an audited read). @throws SECRET_NOT_FOUND */
  async readSecret(ref: string, options: ReadOptions = {}): Promise<SecretValue> {
    const { cache } = this.session;
    const cacheable = cache !== null && options.version === undefined && options.stage === undefined;
    const cached = cacheable ? cache.get(this.environment, ref) : undefined;
    if (cached) return cached;
    const generation = cache?.begin() ?? 0;
    const reply = (await this.read('GetSecret', { env: this.environment, ref, ...options })) as WireRead;
    const value: SecretValue = { id: reply.id, name: reply.name, env: reply.env, version: reply.version, stages: reply.stages, binary: reply.binary === true, accessPosition: reply.accessPosition, bytes: valueBytes(reply) };
    if (cacheable) cache.put(this.environment, ref, value, generation);
    return value;
  }

  /**
   * Many values at once, all audited before any is returned: the secrets under `prefix` (default: all)
   * or exactly `names`. @returns name -> value (a string for text, a Uint8Array for bytes).
   */
  async exportSecrets(options: { prefix?: string; names?: string[]; minPosition?: number } = {}): Promise<Map<string, string | Uint8Array>> {
    const reply = (await this.read('ExportSecrets', { env: this.environment, ...options })) as { secrets: (WireRead & { name: string })[] };
    return new Map(reply.secrets.map((s) => [s.name, s.binary === true ? valueBytes(s) : valueText(s)]));
  }

  /** Metadata of the secrets the caller may list; never values. */
  async listSecrets(options: ListOptions = {}): Promise<SecretSummary[]> {
    return [...(await this.listSecretsPage(options)).secrets];
  }

  /** One page of a listing and the cursor of the next (null on the last page). */
  listSecretsPage(options: ListOptions = {}): Promise<SecretPage> {
    return this.read('ListSecrets', { env: this.environment, ...options }) as Promise<SecretPage>;
  }

  /** Deletes a secret (restorable for `recoveryDays`, default 7; `force` purges). False when there was none. */
  async deleteSecret(id: string, options: { recoveryDays?: number; force?: boolean } = {}): Promise<boolean> {
    return (await nullIfNotFound(this.deleteSecretWithResult(id, options))) !== null;
  }

  /** As deleteSecret, by id or name, answering when the recovery window ends. */
  deleteSecretWithResult(ref: string, options: { recoveryDays?: number; force?: boolean; expectedVersion?: number } = {}): Promise<DeleteResult> {
    return this.write('DeleteSecret', { env: this.environment, ref, ...options });
  }

  /** Brings back a deleted secret within its recovery window. */
  restoreSecret(ref: string): Promise<WriteResult> {
    return this.write('RestoreSecret', { env: this.environment, ref });
  }

  /** Makes the values of `versions` (or of every version) unrecoverable. Needs `admin`. No undo. */
  destroySecret(ref: string, options: { versions?: number[] } = {}): Promise<DestroyResult> {
    return this.write('DestroySecret', { env: this.environment, ref, ...options });
  }

  /** Phase one of a two-phase rotation: a new version under the `pending` stage. */
  async putPendingVersion(ref: string, value: string | Uint8Array | { generate: GenerateOptions }): Promise<WriteResult> {
    return this.write('PutPendingVersion', { env: this.environment, ref, ...sourceOf(value) });
  }

  /** Makes `version` current (or moves a label of yours to it). */
  promoteVersion(ref: string, version: number, options: { stage?: string; expectedVersion?: number } = {}): Promise<PromoteResult> {
    return this.write('PromoteVersion', { env: this.environment, ref, version, ...options });
  }

  /** Removes a stage label; `pending` cancels a two-phase rotation. */
  removeStage(ref: string, stage: string): Promise<WriteResult> {
    return this.write('RemoveStage', { env: this.environment, ref, stage });
  }

  /** Cancels the pending version of a two-phase rotation. */
  cancelPending(ref: string): Promise<WriteResult> {
    return this.removeStage(ref, 'pending');
  }

  /** Overdue and upcoming (within `withinDays`, default 30) scheduled rotations. */
  getRotationStatus(options: { withinDays?: number } = {}): Promise<RotationStatus> {
    return this.read('GetRotationStatus', { env: this.environment, ...options }) as Promise<RotationStatus>;
  }

  /** A new value recorded as a rotation; `{ generate }` has the server generate it (not returned). */
  async rotateSecret(ref: string, newValue: string | Uint8Array | { generate: GenerateOptions }, options: { expectedVersion?: number } & LifecycleOptions = {}): Promise<WriteResult> {
    return this.write('RotateSecret', { env: this.environment, ref, ...sourceOf(newValue), ...options });
  }

  /** Re-encrypts every current secret of the environment under a new data key; returns the new key id. */
  async rotateKey(): Promise<string> {
    return (await this.write<RotateKeyResult>('RotateKey', { env: this.environment })).newKeyId;
  }

  /** A master-key rotation on the server (see SecretManager.rotateMasterKey; `newKeyFile` is a server path). */
  rotateMasterKey(options: { newKeyFile?: string } = {}): Promise<RotateMasterKeyResult> {
    return this.write('RotateMasterKey', { ...options });
  }

  /** Completes a prepared master-key rotation once the server's key file holds the new key. */
  confirmMasterKeyRotation(): Promise<RotateMasterKeyResult> {
    return this.write('ConfirmMasterKeyRotation', {});
  }

  /** Abandons the pending master-key rotation. */
  cancelMasterKeyRotation(): Promise<RotateMasterKeyResult> {
    return this.write('CancelMasterKeyRotation', {});
  }

  /** Data-key rotations of the environment and the master key's history. */
  getKeyRotations(): Promise<KeyRotations> {
    return this.read('GetKeyRotations', { env: this.environment }) as Promise<KeyRotations>;
  }

  /** Without a name: data-key rotations. With a name: that secret's value rotations. */
  async getRotationHistory(name?: string): Promise<RotationHistory> {
    if (name === undefined || name === '') {
      const { rotations, master } = await this.getKeyRotations();
      return { kind: 'keys', rotations, master };
    }
    const history = await this.getSecretHistory(name);
    return {
      kind: 'secret',
      name: history.name,
      rotations: history.rotations.map((r) => ({ secretId: history.id, name: history.name, version: r.version, rotatedAt: r.occurredAt, actor: r.actor })),
    };
  }

  /** How long since a secret's value was last rotated (or created), against a maximum age in days (this machine's clock). */
  async checkKeyAge(name: string, maxAgeDays: number): Promise<KeyAge> {
    if (typeof maxAgeDays !== 'number' || !Number.isFinite(maxAgeDays) || maxAgeDays < 0) {
      throw new StrongroomClientError('INVALID_INPUT', 'maxAgeDays must be a non-negative number');
    }
    const summary = (await this.listSecrets({ prefix: name })).find((s) => s.name === name);
    if (!summary) throw new StrongroomClientError('SECRET_NOT_FOUND', `secret ${name} not found`);
    const ageDays = (Date.now() - Date.parse(summary.lastRotatedAt)) / 86_400_000;
    return { name, lastRotatedAt: summary.lastRotatedAt, ageDays, maxAgeDays, needsRotation: ageDays > maxAgeDays };
  }

  getSecretHistory(ref: string): Promise<SecretHistory> {
    return this.read('GetSecretHistory', { env: this.environment, ref }) as Promise<SecretHistory>;
  }

  async getAuditTrail(options: { ref?: string; from?: number; limit?: number } = {}): Promise<AuditEntry[]> {
    return [...((await this.read('GetAuditTrail', { env: this.environment, ...options })) as AuditEntry[])];
  }

  verifyAuditLog(checkpoint?: { position: number; hash: string }): Promise<AuditVerification> {
    return this.read('VerifyAuditLog', checkpoint ? { checkpoint } : {}) as Promise<AuditVerification>;
  }

  /** Creates an environment with data keys of its own. */
  createEnvironment(environment: string): Promise<EnvironmentCreated> {
    return this.write('CreateEnvironment', { env: environment });
  }

  async listEnvironments(): Promise<EnvironmentSummary[]> {
    return [...((await this.read('ListEnvironments', {})) as EnvironmentSummary[])];
  }

  /** Creates an API token (its text is in the result, shown this once). */
  createToken(options: { principal: string; policies?: string[]; ttl?: string; root?: boolean; kind?: 'service' | 'person' }): Promise<CreatedToken> {
    return this.write('CreateToken', { policies: [], ...options });
  }

  async listTokens(options: { includeRevoked?: boolean } = {}): Promise<TokenSummary[]> {
    return [...((await this.read('ListTokens', { ...options })) as TokenSummary[])];
  }

  revokeToken(tokenId: string, options: { reason?: string } = {}): Promise<TokenRevocation> {
    return this.write('RevokeToken', { tokenId, ...options });
  }

  /** A new text for a token (same id and policies); the old text stops working at once. */
  rotateToken(tokenId: string, options: { ttl?: string } = {}): Promise<CreatedToken> {
    return this.write('RotateToken', { tokenId, ...options });
  }

  /** A new version of a policy (document format: src/access/domain/policy-document.ts). */
  setPolicy(name: string, document: unknown): Promise<PolicySetResult> {
    return this.write('SetPolicy', { name, document });
  }

  getPolicy(name: string, options: { version?: number } = {}): Promise<PolicyView> {
    return this.read('GetPolicy', { name, ...options }) as Promise<PolicyView>;
  }

  async listPolicies(): Promise<PolicySummary[]> {
    return [...((await this.read('ListPolicies', {})) as PolicySummary[])];
  }

  /** Who this client's token is and, per environment, the capabilities its policies grant (needs none). */
  describeCaller(): Promise<CallerDescription> {
    return this.read('DescribeCaller', {}) as Promise<CallerDescription>;
  }

  deletePolicy(name: string): Promise<PolicySetResult> {
    return this.write('DeletePolicy', { name });
  }

  /** The server's metrics in the Prometheus text format (needs `admin`). */
  getMetrics(): Promise<{ text: string; contentType: string }> {
    return this.read('GetMetrics', {}) as Promise<{ text: string; contentType: string }>;
  }

  /**
   * Any use case of the catalogue by its name, with its input as JSON (values as `value`/`valueBase64`),
   * answering its result as JSON. `kind: 'command'` sends an idempotency key and records the position.
   */
  async call(useCase: string, input: Readonly<Record<string, unknown>>, kind: 'command' | 'query' = 'query'): Promise<unknown> {
    return kind === 'command' ? this.write(useCase, input) : this.read(useCase, input);
  }

  /** Closes the transport; the clients derived with inEnvironment close with it. */
  async close(): Promise<void> {
    await this.session.stopCache?.();
    await this.session.transport.close();
  }

  /**
   * A streamed use case: its lines as the transport streams them (HTTP), or its result read whole and
   * taken apart (the bus). Retries (503, no answer) apply to opening the stream only: once a line has
   * been yielded, a restart would repeat it, so a break mid-stream is thrown (UNREACHABLE).
   */
  private async *streamed<T>(
    useCase: string,
    input: Readonly<Record<string, unknown>>,
    read: { line: (line: string) => T; collected: (result: unknown) => readonly T[]; signal?: AbortSignal; opened?: StreamOptions['onOpen'] },
  ): AsyncGenerator<T> {
    const { transport } = this.session;
    const lines = transport.lines;
    if (lines === undefined) {
      yield* read.collected(await this.read(useCase, input));
      return;
    }
    const options: StreamOptions = { ...this.minPosition(), ...(read.signal && { signal: read.signal }), ...(read.opened && { onOpen: read.opened }) };
    let iterator: AsyncIterator<string> | undefined;
    try {
      const first = await withRetries(this.session.retry, () => {
        iterator = lines.call(transport, useCase, input, options)[Symbol.asyncIterator]();
        return iterator.next();
      });
      for (let next = first; next.done !== true; next = await (iterator as AsyncIterator<string>).next()) yield read.line(next.value);
    } finally {
      await iterator?.return?.();
    }
  }

  private async write<T>(useCase: string, input: Readonly<Record<string, unknown>>): Promise<T> {
    const key = this.session.idempotentWrites ? { idempotencyKey: newIdempotencyKey() } : {};
    const reply = await withRetries(this.session.retry, () => this.session.transport.call(useCase, input, { ...key, ...this.minPosition() }));
    this.remember(reply);
    this.forgetCached(input, reply.result);
    return reply.result as T;
  }

  private async read(useCase: string, input: Readonly<Record<string, unknown>>): Promise<unknown> {
    const reply = await withRetries(this.session.retry, () => this.session.transport.call(useCase, input, this.minPosition()));
    return reply.result;
  }

  private minPosition(): { minPosition?: number } {
    return this.session.position > 0 ? { minPosition: this.session.position } : {};
  }

  private remember(reply: Reply): void {
    const fromResult = (reply.result as { position?: unknown } | null)?.position;
    const position = Math.max(reply.position ?? 0, typeof fromResult === 'number' ? fromResult : 0);
    if (position > this.session.position) this.session.position = position;
  }

  /** An own write drops its secret from the cache at once (its event may arrive after the next read). */
  private forgetCached(input: Readonly<Record<string, unknown>>, result: unknown): void {
    const { cache } = this.session;
    if (cache === null) return;
    const r = (result ?? {}) as { id?: unknown; name?: unknown; env?: unknown };
    const env = typeof r.env === 'string' ? r.env : typeof input.env === 'string' ? input.env : this.environment;
    const ref = typeof input.ref === 'string' ? input.ref : undefined;
    cache.evict(env, typeof r.id === 'string' ? r.id : ref, typeof r.name === 'string' ? r.name : ref);
  }

  private async readSecretOrNull(ref: string, options: ReadOptions): Promise<SecretValue | null> {
    return nullIfNotFound(this.readSecret(ref, options));
  }
}

/** One JSON line of a streamed answer. @throws BAD_RESPONSE when it is not JSON */
const parseLine = (line: string): unknown => {
  try {
    return JSON.parse(line);
  } catch {
    throw new StrongroomClientError('BAD_RESPONSE', 'the server streamed a line that is not JSON');
  }
};

interface WireRead {
  readonly id: string;
  readonly name: string;
  readonly env: string;
  readonly version: number;
  readonly stages: readonly string[];
  readonly accessPosition: number;
  readonly binary?: boolean;
  readonly value?: string;
  readonly valueBase64?: string;
}

/**
 * A token travels in a header, which takes printable ASCII only (the server's rule: 1 to 512 of them):
 * anything else (a pasted newline or dash) is refused here at once, rather than reported as an
 * unreachable server after retries by fetch, whose message would quote it.
 * @throws INVALID_INPUT without quoting the token
 */
const checkToken = (token: unknown): void => {
  if (typeof token === 'string' && token.length > 512) {
    throw new StrongroomClientError('INVALID_INPUT', `the token is too long (${token.length} characters; at most 512): check what was passed (a Strongroom token is 64 characters)`);
  }
  if (typeof token !== 'string' || !/^[\x21-\x7e]{1,512}$/.test(token)) {
    throw new StrongroomClientError('INVALID_INPUT', 'the token must be 1 to 512 printable ASCII characters (no spaces or line breaks): check for a character pasted with it');
  }
};

const httpTransport = (options: StrongroomClientOptions): Transport => {
  checkToken(options.token);
  if (!/^https?:\/\//i.test(options.url)) {
    throw new StrongroomClientError('INVALID_INPUT', 'url must start with http:// or https:// (use StrongroomClient.connect for nats://)');
  }
  // fetch refuses such a URL, quoting it whole in its error; the token has its own option.
  if (hasUserinfo(options.url)) {
    throw new StrongroomClientError('INVALID_INPUT', `an http(s) URL must not carry credentials (user:password@): pass the token as \`token\` (${redactUrl(options.url)})`);
  }
  return new HttpTransport({ url: options.url, token: options.token, ...(options.fetch && { fetch: options.fetch }) });
};

const sourceOf = (value: string | Uint8Array | { generate: GenerateOptions }): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && 'generate' in value ? { generate: value.generate } : valueFields(value as string | Uint8Array);

/** "No such secret" as null, as SecretManager answers; a deleted secret (in its recovery window) counts as none. */
const nullIfNotFound = async <T>(work: Promise<T>): Promise<T | null> => {
  try {
    return await work;
  } catch (e) {
    if (isClientError(e, 'SECRET_NOT_FOUND') || isClientError(e, 'SECRET_DELETED')) return null;
    throw e;
  }
};

const asText = (read: SecretValue | null): string | null => {
  if (read === null) return null;
  if (read.binary) throw new StrongroomClientError('INVALID_INPUT', `secret ${read.name} holds bytes, not text; read it with getSecretBytes`);
  return new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
};
