import { ErrorCode, StrongroomError } from '../../shared/errors.js';

/**
 * The fields of a JSON object body, still `unknown`: the command handlers validate every field, so
 * the HTTP layer only insists that the body is an object at all.
 */
export const jsonObjectBody = (body: unknown): Readonly<Record<string, unknown>> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new StrongroomError(ErrorCode.InvalidInput, 'the request body must be a JSON object');
  }
  return body as Record<string, unknown>;
};

/**
 * A query-string integer for handlers that take numbers (`expectedVersion`): decimal digits become a
 * number, anything else is passed on unchanged for the handler to reject.
 */
export const queryInteger = (raw: unknown): unknown => (typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : raw);
