import { z } from 'zod';
import type { Slice } from '../../../catalogue.js';
import type { HttpRoute } from '../../../kernel/use-case.js';

/** A JSON Schema object as zod emits it (draft 2020-12, which OpenAPI 3.1 uses). */
type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; required?: string[]; [key: string]: unknown };

/** Fields only the library and CLI can pass (callbacks): not part of any HTTP request. */
const LIBRARY_ONLY = new Set(['onProgress', 'onStep']);

/**
 * How a value travels in JSON (src/secrets/json-value.ts): text as `value`, bytes as `valueBase64`
 * (RFC 4648 base64), exactly one of them.
 */
const VALUE_FIELDS: Record<string, JsonSchema> = {
  value: { type: 'string', description: 'the value as text (UTF-8); or send valueBase64' },
  valueBase64: { type: 'string', contentEncoding: 'base64', description: 'the value as bytes, standard base64 (RFC 4648); or send value' },
};

const PATH_PARAMETER = /:([A-Za-z]+)/g;

const ERROR: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
};

/** The JSON Schema of a use case's input as HTTP carries it: callbacks dropped, the value as value / valueBase64. */
const httpInputSchema = (schema: z.ZodType): JsonSchema => {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  const properties = { ...(json.properties ?? {}) };
  for (const field of LIBRARY_ONLY) delete properties[field];
  let required = (json.required ?? []).filter((r) => !LIBRARY_ONLY.has(r));
  if ('value' in properties) {
    Object.assign(properties, VALUE_FIELDS);
    required = required.filter((r) => r !== 'value');
  }
  if (properties.document && Object.keys(properties.document).length === 0) properties.document = { type: 'object', description: 'a policy document: {rules: [...]}' };
  return { ...json, properties, required };
};

const without = (schema: JsonSchema, names: readonly string[]): JsonSchema => {
  const properties = { ...(schema.properties ?? {}) };
  for (const n of names) delete properties[n];
  return { ...schema, properties, required: (schema.required ?? []).filter((r) => !names.includes(r)) };
};

const STATUSES: Readonly<Record<string, string>> = {
  '400': 'bad input (INVALID_INPUT)',
  '401': 'missing, unknown, expired or revoked token (UNAUTHENTICATED)',
  '403': 'denied by policy (ACCESS_DENIED)',
  '404': 'not found',
  '409': 'conflict',
  '413': 'value too large (VALUE_TOO_LARGE)',
  '429': 'too many failed authentications from this address (RATE_LIMITED)',
  '503': 'store or key unavailable, or a replica behind a requested position',
};

/**
 * The request headers every route reads (src/interfaces/request-headers.ts, read-your-writes.ts): a
 * malformed or repeated one is refused (400), never ignored, except X-Request-Id, which is replaced.
 */
const READ_YOUR_WRITES = {
  name: 'X-Strongroom-Min-Position',
  in: 'header',
  required: false,
  description: 'read-your-writes: wait (up to STRONGROOM_READ_WAIT_MS, else 503) until this replica has applied this log position, e.g. the X-Strongroom-Position of your last write',
  schema: { type: 'string', pattern: '^\\d{1,15}$' },
} as const;
const REQUEST_ID = {
  name: 'X-Request-Id',
  in: 'header',
  required: false,
  description: 'recorded as the correlation id of the events this request appends (1-64 of A-Z a-z 0-9 . _ : -; anything else is replaced by a fresh id, echoed back)',
  schema: { type: 'string' },
} as const;
const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'the command acts at most once per key and principal, on any replica; a retry answers the first result; the same key with another input is INVALID_INPUT (docs/BUS.md)',
  schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,128}$' },
} as const;
const POSITION_HEADER_DOC = {
  'X-Strongroom-Position': { description: 'the log position of this write, for X-Strongroom-Min-Position on a later read', schema: { type: 'string' } },
} as const;

const operation = (slice: Slice, route: HttpRoute, operationId: string): Record<string, unknown> => {
  const { useCase } = slice;
  const pathNames = [...route.path.matchAll(PATH_PARAMETER)].map((m) => m[1] as string);
  const input = httpInputSchema(useCase.input);
  // A route of the default environment (no :env, while the use case also has an :env route) takes no env.
  const defaultEnvRoute = !route.path.includes(':env') && (useCase.http ?? []).some((r) => r.path.includes(':env'));
  const rest = without(input, [...pathNames, ...(defaultEnvRoute ? ['env'] : [])]);
  const hasBody = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';
  const example = route.example;
  const parameters = [
    ...pathNames.map((name) => ({ name, in: 'path', required: true, schema: input.properties?.[name] ?? { type: 'string' }, ...(example?.[name] !== undefined && { example: example[name] }) })),
    ...(hasBody
      ? []
      : Object.entries(rest.properties ?? {}).map(([name, schema]) => ({
          name,
          in: 'query',
          required: (rest.required ?? []).includes(name),
          schema,
          ...(example?.[name] !== undefined && { example: example[name] }),
        }))),
    ...(useCase.kind === 'command' ? [IDEMPOTENCY_KEY] : []),
    READ_YOUR_WRITES,
    REQUEST_ID,
  ];
  const body = example === undefined ? undefined : Object.fromEntries(Object.entries(example).filter(([k]) => !pathNames.includes(k)));
  return {
    operationId,
    summary: useCase.summary,
    tags: [useCase.kind === 'command' ? 'commands' : 'queries'],
    'x-strongroom-capability': useCase.capability,
    ...(parameters.length > 0 && { parameters }),
    ...(hasBody && {
      requestBody: {
        required: (rest.required ?? []).length > 0,
        content: { 'application/json': { schema: rest, ...(body !== undefined && { example: body }) } },
      },
    }),
    responses: {
      [route.method === 'POST' && useCase.kind === 'command' && /\/(secrets|envs|tokens)$/.test(route.path) ? '201' : '200']: {
        description: 'done',
        ...(useCase.kind === 'command' && { headers: POSITION_HEADER_DOC }),
        content: { 'application/json': { schema: { type: 'object' } } },
      },
      ...Object.fromEntries(Object.entries(STATUSES).map(([status, description]) => [status, { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }])),
    },
  };
};

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the catalogue: every route of every use case,
 * its parameters and body from the use case's input schema (zod's JSON Schema), its capability, and the
 * error shape every route shares. Served at /v1/openapi.json; test/http/openapi.test.ts checks that every
 * registered route is in it and that its examples are valid requests.
 */
export const openApiDocument = (catalogue: readonly Slice[], version: string): Record<string, unknown> => {
  const paths: Record<string, Record<string, unknown>> = {};
  const ids = new Set<string>();
  for (const slice of catalogue) {
    for (const route of slice.useCase.http ?? []) {
      const path = route.path.replace(PATH_PARAMETER, '{$1}');
      // The routes without /envs/{env} are the default environment's: the same operation, its own id.
      let id = route.path.includes(':env') || !(slice.useCase.http ?? []).some((r) => r.path.includes(':env')) ? slice.useCase.name : `${slice.useCase.name}InDefaultEnv`;
      while (ids.has(id)) id = `${id}_`;
      ids.add(id);
      paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(slice, route, id) };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Strongroom',
      version,
      description:
        'An event-sourced secrets service: every change and every read of a secret is a hash-chained event. ' +
        'Every route but /healthz, /readyz and the documents needs `Authorization: Bearer <token>`.',
    },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a Strongroom token (srt_...)' } },
      schemas: { Error: ERROR },
    },
    security: [{ bearer: [] }],
  };
};
