/**
 * The API's error codes (src/shared/errors.ts and the HTTP edge's own) as sentences for people, with
 * the server's message kept as the detail: the server's messages carry no values, so showing them is safe.
 */
const HUMAN: Readonly<Record<string, string>> = {
  UNAUTHENTICATED: 'The token was not accepted (unknown, expired or revoked). Sign in again.',
  ACCESS_DENIED: 'Your token’s policies do not allow this. The refusal has been recorded in the audit log.',
  RATE_LIMITED: 'Too many failed sign-ins from here; wait a minute and try again.',
  SECRET_NOT_FOUND: 'No such secret in this environment.',
  TOKEN_NOT_FOUND: 'No such token.',
  POLICY_NOT_FOUND: 'No such policy.',
  ENVIRONMENT_NOT_FOUND: 'No such environment.',
  ALREADY_EXISTS: 'That already exists.',
  SECRET_NAME_CONFLICT: 'A secret of that name already exists.',
  VERSION_CONFLICT: 'Someone changed this secret meanwhile; reload and try again.',
  REVISION_CONFLICT: 'Someone changed this meanwhile; reload and try again.',
  IDEMPOTENCY_KEY_IN_DOUBT: 'An earlier attempt of this action may have taken effect; check the timeline before trying again.',
  ROTATION_IN_PROGRESS: 'A key rotation is already running in this environment.',
  INVALID_INPUT: 'The input was refused.',
  VALUE_TOO_LARGE: 'The value is too large.',
  SECRET_DELETED: 'The secret is deleted (restore it within its recovery window to read it).',
  SECRET_EXPIRED: 'The secret has expired and can no longer be read.',
  VERSION_DESTROYED: 'That version was destroyed; its value is gone for good.',
  STORE_UNAVAILABLE: 'The event store cannot be reached right now; nothing was changed. Try again shortly.',
  KEY_UNAVAILABLE: 'The encryption key is not available to the server right now.',
  NOT_INITIALISED: 'The server’s store is not initialised yet.',
  NOT_IMPLEMENTED: 'The server does not offer this yet.',
  UNREACHABLE: 'The server did not answer. Check that it is running.',
  BAD_RESPONSE: 'The server’s answer was not understood (a proxy in the way?).',
  NOT_FOUND: 'The server has no such route (an older server?).',
  INTERNAL_ERROR: 'The server failed unexpectedly; its log says more.',
};

/** The sentence for `code`, then the server's own message in parentheses when it adds something. */
export const errorText = (code: string, message: string): string => {
  const human = HUMAN[code];
  if (human === undefined) return message === '' ? code : `${message} (${code})`;
  return message === '' ? human : `${human} (${message})`;
};
