import { ErrorCode, StrongroomError } from '../../shared/errors.js';

/**
 * The fields of a JSON object body, still `unknown`: the use case's input schema checks every field, so
 * the HTTP layer only insists that the body is an object at all.
 */
export const jsonObjectBody = (body: unknown): Readonly<Record<string, unknown>> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new StrongroomError(ErrorCode.InvalidInput, 'the request body must be a JSON object');
  }
  return body as Record<string, unknown>;
};

/**
 * A use case's input from a body plus values taken from the URL. A body field that the URL already
 * names (the environment, the secret) is refused rather than silently overridden or ignored.
 */
export const inputFrom = (body: Readonly<Record<string, unknown>>, fromUrl: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  for (const key of Object.keys(fromUrl)) {
    if (Object.hasOwn(body, key)) throw new StrongroomError(ErrorCode.InvalidInput, `${key} is given by the URL; do not send it in the body`);
  }
  const urlValues = Object.fromEntries(Object.entries(fromUrl).filter(([, v]) => v !== undefined));
  return { ...body, ...urlValues };
};

/** Query parameters that carry integers (positions, versions, counts): decimal digits become numbers. */
// `to` (GET /v1/audit/report) was missing: `?to=17` reached the input schema as text and was refused.
const INTEGER_PARAMETERS: ReadonlySet<string> = new Set(['version', 'expectedVersion', 'minPosition', 'from', 'to', 'limit', 'checkpointPosition', 'recoveryDays', 'at']);

/** `true` / `false` in a query string become booleans; anything else stays a string for the input schema to refuse. */
export const booleanText = (raw: unknown): unknown => (raw === 'true' ? true : raw === 'false' ? false : raw);

/** Decimal digits become a number; anything else stays a string for the input schema to refuse. */
export const integerText = (raw: unknown): unknown => (typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : raw);

/**
 * The query-string parameters a route accepts; any other is refused (a parameter nobody reads must not
 * look as if it had been applied). Integer parameters are converted; the input schema checks the rest.
 */
export const queryInput = (query: unknown, accepted: readonly string[]): Record<string, unknown> => {
  const q = (query ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(q)) {
    if (!accepted.includes(key)) throw new StrongroomError(ErrorCode.InvalidInput, `unknown query parameter ${JSON.stringify(key.slice(0, 40))}; this route accepts ${accepted.join(', ') || 'none'}`);
    if (Array.isArray(value)) throw new StrongroomError(ErrorCode.InvalidInput, `query parameter ${key} is given more than once`);
    out[key] = INTEGER_PARAMETERS.has(key) ? integerText(value) : value;
  }
  return out;
};

/** A body that may be absent (no content type, nothing sent) or a JSON object. */
export const optionalJsonObjectBody = (body: unknown): Readonly<Record<string, unknown>> => (body === undefined || body === null ? {} : jsonObjectBody(body));
