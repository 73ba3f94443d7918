import { valueFromJson, valueToJson } from '../../secrets/json-value.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';

/**
 * A use case's input from a bus payload, as HTTP builds it from a body: a JSON object whose secret value
 * (if any) is `value` (text) or `valueBase64` (bytes, decoded here), plus the environment the subject
 * names when the use case takes one. A payload naming another environment than its subject is refused,
 * as HTTP refuses a body field the URL already gives.
 * @throws INVALID_INPUT
 */
export const busInput = (payload: unknown, subjectEnv: string | undefined, takesEnv: boolean): Record<string, unknown> => {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new StrongroomError(ErrorCode.InvalidInput, 'the message must be a JSON object');
  }
  const { valueBase64, ...fields } = payload as Record<string, unknown>;
  if (fields.value !== undefined || valueBase64 !== undefined) fields.value = valueFromJson({ value: fields.value, valueBase64 });
  if (!takesEnv || subjectEnv === undefined) return fields;
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
