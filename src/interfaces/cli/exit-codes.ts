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
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

// A Record over every ErrorCode: adding a code to errors.ts fails the build until it is mapped here.
const BY_ERROR_CODE: Readonly<Record<ErrorCode, ExitCode>> = {
  [ErrorCode.InvalidInput]: ExitCode.BadInput,
  [ErrorCode.UnknownOperation]: ExitCode.BadInput,
  [ErrorCode.SecretNotFound]: ExitCode.NotFound,
  [ErrorCode.SecretNameConflict]: ExitCode.Conflict,
  [ErrorCode.VersionConflict]: ExitCode.Conflict,
  [ErrorCode.RevisionConflict]: ExitCode.Conflict,
  [ErrorCode.RotationInProgress]: ExitCode.Conflict,
  [ErrorCode.KeyFileNotWritable]: ExitCode.Conflict,
  [ErrorCode.AlreadyInitialised]: ExitCode.Conflict,
  [ErrorCode.StoreUnavailable]: ExitCode.Unavailable,
  [ErrorCode.KeyUnavailable]: ExitCode.KeyUnavailable,
  [ErrorCode.NotInitialised]: ExitCode.KeyUnavailable,
  [ErrorCode.NotAStrongroomStore]: ExitCode.KeyUnavailable,
  [ErrorCode.IntegrityError]: ExitCode.Integrity,
  [ErrorCode.NotImplemented]: ExitCode.NotImplemented,
  // The CLI acts as the local OS user and never authenticates; seeing this is a bug, not a user error.
  [ErrorCode.Unauthenticated]: ExitCode.Unexpected,
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
  0  ok                          5  store unavailable
  1  unexpected error            6  master key unavailable, or no Strongroom store here
  2  bad input or usage          7  audit log integrity failure
  3  secret not found            8  not implemented
  4  conflict (name, version, rotation in progress, already initialised,
     a key file that cannot be written where it must go)`;
