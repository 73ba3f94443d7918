import { CommanderError } from 'commander';
import { ErrorCode, isStrongroomError } from '../../shared/errors.js';

/** The CLI's exit codes: the one place error codes become process exit statuses. */
export const ExitCode = {
  Ok: 0,
  Unexpected: 1,
  BadInput: 2,
  NotFound: 3,
  Conflict: 4,
  Unavailable: 5,
  /** The master key cannot be used, or there is no Strongroom store where we looked. */
  KeyUnavailable: 6,
  Integrity: 7,
  NotImplemented: 8,
  ValueTooLarge: 9,
  Unauthenticated: 10,
  AccessDenied: 11,
  /** The secret is deleted (restorable), expired, or the version's value destroyed. */
  Gone: 12,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

// A Record over every ErrorCode: adding a code to errors.ts fails the build until it is mapped here.
const BY_ERROR_CODE: Readonly<Record<ErrorCode, ExitCode>> = {
  [ErrorCode.InvalidInput]: ExitCode.BadInput,
  [ErrorCode.UnknownOperation]: ExitCode.BadInput,
  [ErrorCode.SecretNotFound]: ExitCode.NotFound,
  [ErrorCode.TokenNotFound]: ExitCode.NotFound,
  [ErrorCode.PolicyNotFound]: ExitCode.NotFound,
  [ErrorCode.EnvironmentNotFound]: ExitCode.NotFound,
  [ErrorCode.AlreadyExists]: ExitCode.Conflict,
  [ErrorCode.ValueTooLarge]: ExitCode.ValueTooLarge,
  [ErrorCode.AccessDenied]: ExitCode.AccessDenied,
  // A server slowing down a client that failed to authenticate: like an unavailable server, retry later.
  [ErrorCode.RateLimited]: ExitCode.Unavailable,
  [ErrorCode.Ungated]: ExitCode.Unexpected,
  [ErrorCode.SecretNameConflict]: ExitCode.Conflict,
  [ErrorCode.VersionConflict]: ExitCode.Conflict,
  [ErrorCode.RevisionConflict]: ExitCode.Conflict,
  [ErrorCode.IdempotencyKeyInDoubt]: ExitCode.Conflict,
  [ErrorCode.RotationInProgress]: ExitCode.Conflict,
  [ErrorCode.KeyFileNotWritable]: ExitCode.Conflict,
  [ErrorCode.AlreadyInitialised]: ExitCode.Conflict,
  [ErrorCode.StoreUnavailable]: ExitCode.Unavailable,
  [ErrorCode.BusUnavailable]: ExitCode.Unavailable,
  [ErrorCode.AddressUnavailable]: ExitCode.Unavailable,
  [ErrorCode.KeyUnavailable]: ExitCode.KeyUnavailable,
  [ErrorCode.NotInitialised]: ExitCode.KeyUnavailable,
  [ErrorCode.NotAStrongroomStore]: ExitCode.KeyUnavailable,
  [ErrorCode.IntegrityError]: ExitCode.Integrity,
  [ErrorCode.LogGap]: ExitCode.Integrity,
  [ErrorCode.NotImplemented]: ExitCode.NotImplemented,
  // A remote server refused the token (STRONGROOM_TOKEN), or a token given to the CLI is not valid.
  [ErrorCode.Unauthenticated]: ExitCode.Unauthenticated,
  [ErrorCode.SecretDeleted]: ExitCode.Gone,
  [ErrorCode.SecretExpired]: ExitCode.Gone,
  [ErrorCode.VersionDestroyed]: ExitCode.Gone,
};

export const exitCodeOf = (error: unknown): ExitCode => {
  if (isStrongroomError(error)) return BY_ERROR_CODE[error.code] ?? ExitCode.Unexpected;
  // Commander has already explained the problem; help and --help are not failures, usage errors are.
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Ok : ExitCode.BadInput;
  return ExitCode.Unexpected;
};

/** For `strongroom --help`: scripts branch on these. */
export const EXIT_CODES_HELP = `
Exit codes:
  0  ok                          6  master key unavailable, or no Strongroom store here
  1  unexpected error            7  audit log integrity failure
  2  bad input or usage          8  not implemented
  3  not found                   9  value too large
  4  conflict (name, version,   10  not authenticated (token missing, unknown, expired or revoked)
     rotation, already exists,  11  access denied by policy
     a key file that cannot be written where it must go)
  5  store unavailable; for serve, the HTTP address (in use, not local)
 12  gone: the secret is deleted (restorable), expired, or that version destroyed`;
