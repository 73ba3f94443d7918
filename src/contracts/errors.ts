/**
 * The wire contract of failures (see secrets.ts for why contracts live here): every failure a caller
 * can act on carries one of these codes, on every interface and in the SDK. Each interface (HTTP, CLI, library,
 * bus) maps codes to its own idiom in exactly one place. Messages never contain a secret value or a key.
 */
export const ErrorCode = {
  SecretNotFound: 'SECRET_NOT_FOUND',
  TokenNotFound: 'TOKEN_NOT_FOUND',
  PolicyNotFound: 'POLICY_NOT_FOUND',
  EnvironmentNotFound: 'ENVIRONMENT_NOT_FOUND',
  AlreadyExists: 'ALREADY_EXISTS',
  SecretNameConflict: 'SECRET_NAME_CONFLICT',
  VersionConflict: 'VERSION_CONFLICT',
  RevisionConflict: 'REVISION_CONFLICT',
  /**
   * A command sent earlier with this idempotency key acted, but its process stopped before recording its
   * result: it is not run twice, and its answer cannot be replayed (its events are in the log).
   */
  IdempotencyKeyInDoubt: 'IDEMPOTENCY_KEY_IN_DOUBT',
  InvalidInput: 'INVALID_INPUT',
  /** A secret value over STRONGROOM_MAX_VALUE_BYTES, measured on the decoded bytes. */
  ValueTooLarge: 'VALUE_TOO_LARGE',
  UnknownOperation: 'UNKNOWN_OPERATION',
  StoreUnavailable: 'STORE_UNAVAILABLE',
  /** The HTTP API cannot listen where it was configured to (address in use, not local, no permission). */
  AddressUnavailable: 'ADDRESS_UNAVAILABLE',
  /** The NATS server of `serve --nats` / STRONGROOM_NATS_URL cannot be reached (or the bus is not connected). */
  BusUnavailable: 'BUS_UNAVAILABLE',
  NotAStrongroomStore: 'NOT_A_STRONGROOM_STORE',
  KeyUnavailable: 'KEY_UNAVAILABLE',
  IntegrityError: 'INTEGRITY_ERROR',
  /**
   * The log's global positions are not contiguous where a report, replay, export or checkpoint read it
   * (a row deleted): its result would certify a log with a hole. `details.missingFrom`/`missingThrough`.
   */
  LogGap: 'LOG_GAP',
  RotationInProgress: 'ROTATION_IN_PROGRESS',
  /** A key file cannot be created or replaced where it must go (a mounted secret, a read-only file system). */
  KeyFileNotWritable: 'KEY_FILE_NOT_WRITABLE',
  AlreadyInitialised: 'ALREADY_INITIALISED',
  NotInitialised: 'NOT_INITIALISED',
  Unauthenticated: 'UNAUTHENTICATED',
  AccessDenied: 'ACCESS_DENIED',
  /** Too many failed authentications from one client address: wait `details.retryAfterSeconds`. */
  RateLimited: 'RATE_LIMITED',
  /** A handler was called with a message the pipeline did not admit: a bug, never a user error. */
  Ungated: 'UNGATED_CALL',
  NotImplemented: 'NOT_IMPLEMENTED',
  /** The secret is deleted and within its recovery window: restore it to read or change it. */
  SecretDeleted: 'SECRET_DELETED',
  /** The secret passed its expiry (`--expires-at` / `--ttl`). */
  SecretExpired: 'SECRET_EXPIRED',
  /** The value of that version was destroyed (destroy-secret). */
  VersionDestroyed: 'VERSION_DESTROYED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

