import { valueFromJson, valueToJson } from '../../secrets/json-value.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import { NO_ENV_SUBJECT } from './bus-subjects.js';

/**
 * A use case's input from a bus payload, as HTTP builds it from a body: a JSON object whose secret value
 * (if any) is `value` (text) or `valueBase64` (bytes, decoded here), plus the environment the subject
 * names when the use case takes one. A payload naming another environment than its subject is refused,
 * as HTTP refuses a body field the URL already gives. A subject naming none (NO_ENV_SUBJECT) leaves the
 * payload's `env` as it is: absent, the use case's own default applies (every environment for a report).
 * @throws INVALID_INPUT
 */
export const busInput = (payload: unknown, subjectEnv: string | undefined, takesEnv: boolean): Record<string, unknown> => {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new StrongroomError(ErrorCode.InvalidInput, 'the message must be a JSON object');
  }
  const { valueBase64, ...fields } = payload as Record<string, unknown>;
  if (fields.value !== undefined || valueBase64 !== undefined) fields.value = valueFromJson({ value: fields.value, valueBase64 });
  if (!takesEnv || subjectEnv === undefined || subjectEnv === NO_ENV_SUBJECT) return fields;
  if (fields.env !== undefined && fields.env !== subjectEnv) {
    throw new StrongroomError(ErrorCode.InvalidInput, 'env is given by the subject; do not send another in the message');
  }
  return { ...fields, env: subjectEnv };
};

/**
 * A result as JSON: a value read (`bytes` + `binary`) becomes `value` or `valueBase64`, as HTTP sends it;
 * everything else is plain data already.
 */
export const busResult = (result: unknown): unknown => {
  if (Buffer.isBuffer(result) || result instanceof Uint8Array) return Buffer.from(result).toString('base64');
  if (Array.isArray(result)) return result.map(busResult);
  if (typeof result !== 'object' || result === null) return result;
  const record = result as Record<string, unknown>;
  if (Buffer.isBuffer(record.bytes) && typeof record.binary === 'boolean') {
    const { bytes, binary, ...fields } = record;
    return { ...mapValues(fields), ...valueToJson(bytes, binary) };
  }
  return mapValues(record);
};

const mapValues = (record: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => typeof v !== 'function').map(([k, v]) => [k, busResult(v)]));

/** The most items one bus reply collects from a streamed result (a report's rows, an export's pages). */
export const MAX_STREAMED_ITEMS = 10_000;

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function';

/**
 * A result whose fields stream (GetAccessReport's rows, ExportAuditLog's pages) as one reply: each such
 * field collected into an array. A request-reply answers once, so a stream longer than
 * MAX_STREAMED_ITEMS is refused rather than cut short; HTTP streams it whole (`httpRoute`, e.g.
 * `GET /v1/audit/report`, is named in the refusal).
 * @throws INVALID_INPUT naming the limit and the HTTP route to use instead
 */
export const collectStreams = async (result: unknown, httpRoute = 'the HTTP API'): Promise<unknown> => {
  if (typeof result !== 'object' || result === null || Array.isArray(result) || Buffer.isBuffer(result)) return result;
  const entries = Object.entries(result as Record<string, unknown>);
  if (!entries.some(([, v]) => isAsyncIterable(v))) return result;
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    if (!isAsyncIterable(value)) {
      out[key] = value;
      continue;
    }
    const items: unknown[] = [];
    for await (const item of value) {
      if (items.length === MAX_STREAMED_ITEMS) {
        throw new StrongroomError(ErrorCode.InvalidInput, `the result has more than ${MAX_STREAMED_ITEMS} ${key}: narrow it (from, to) or read it streamed over HTTP: ${httpRoute}`);
      }
      items.push(item);
    }
    out[key] = items;
  }
  return out;
};
