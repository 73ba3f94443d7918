import { Ajv2020 } from 'ajv/dist/2020.js';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { CATALOGUE } from '../../src/catalogue.js';
import { HTTP_CONTROLLERS } from '../../src/interfaces/http/http-api.module.js';
import { openApiDocument } from '../../src/interfaces/http/openapi/openapi-document.js';
import { valueFromJson } from '../../src/secrets/json-value.js';
import type { TestServer } from './http-harness.js';
import { startTestServer } from './http-harness.js';

type Operation = {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean; schema: object; example?: unknown }[];
  requestBody?: { content: { 'application/json': { schema: object; example?: Record<string, unknown> } } };
};

/** Every route a controller declares, as `METHOD /path` with {params}. */
const declaredRoutes = (): string[] => {
  const routes: string[] = [];
  for (const controller of HTTP_CONTROLLERS) {
    const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
    for (const key of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[key];
      if (typeof handler !== 'function' || key === 'constructor') continue;
      const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (paths === undefined || method === undefined) continue;
      for (const path of Array.isArray(paths) ? paths : [paths]) {
        const full = `/${[base, path].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/').replace(/:([A-Za-z]+)/g, '{$1}');
        routes.push(`${RequestMethod[method]} ${full}`);
      }
    }
  }
  return routes;
};

describe('the OpenAPI document, generated from the catalogue', () => {
  const document = openApiDocument(CATALOGUE, 'test') as { openapi: string; paths: Record<string, Record<string, Operation>> };
  const documented = Object.entries(document.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
  const PUBLIC = ['GET /healthz', 'GET /readyz'];

  it('is OpenAPI 3.1 and holds every route a controller serves, and nothing else', () => {
    expect(document.openapi).toBe('3.1.0');
    const declared = declaredRoutes().filter((r) => !PUBLIC.includes(r));
    expect(declared.length).toBeGreaterThan(30);
    expect([...documented].sort()).toEqual([...new Set(declared)].sort());
  });

  it('documents the headers every route reads: Idempotency-Key on commands, read-your-writes and the request id everywhere', () => {
    const kinds = new Map(CATALOGUE.map((slice) => [slice.useCase.name, slice.useCase.kind]));
    for (const ops of Object.values(document.paths)) {
      for (const op of Object.values(ops)) {
        const headers = (op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
        const command = kinds.get(op.operationId.replace(/(InDefaultEnv)?_*$/, '')) === 'command';
        expect({ op: op.operationId, headers }).toEqual({ op: op.operationId, headers: [...(command ? ['Idempotency-Key'] : []), 'X-Strongroom-Min-Position', 'X-Request-Id'] });
      }
    }
  });

  it('names each operation once, after its use case', () => {
    const ids = Object.values(document.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['StoreSecret', 'GetSecret', 'CreateToken', 'SetPolicy', 'RotateMasterKey']));
  });

  it('its examples are valid requests: for the document, and for the use case the route runs', () => {
    const ajv = new Ajv2020({ strict: false });
    ajv.addKeyword('x-strongroom-capability');
    let checked = 0;
    for (const slice of CATALOGUE) {
      for (const route of slice.useCase.http ?? []) {
        if (!route.example) continue;
        const op = document.paths[route.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[route.method.toLowerCase()] as Operation;
        for (const p of op.parameters ?? []) {
          const value = route.example[p.name];
          if (value === undefined) expect(p.required).toBe(false);
          else expect({ param: p.name, valid: ajv.validate(p.schema, value), errors: ajv.errors }).toEqual({ param: p.name, valid: true, errors: null });
        }
        const body = op.requestBody?.content['application/json'];
        if (body?.example) expect({ route: route.path, valid: ajv.validate(body.schema, body.example), errors: ajv.errors }).toEqual({ route: route.path, valid: true, errors: null });
        // What the HTTP edge hands the pipeline (valueBase64 decoded as the controllers do) passes the input schema.
        const { valueBase64, ...fields } = route.example;
        const input = 'value' in fields || valueBase64 !== undefined ? { ...fields, value: valueFromJson({ value: fields.value, valueBase64 }) } : fields;
        expect({ useCase: slice.useCase.name, ok: slice.useCase.input.safeParse(input).success }).toEqual({ useCase: slice.useCase.name, ok: true });
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  describe('as served', () => {
    let t: TestServer;
    beforeAll(async () => (t = await startTestServer()));
    afterAll(() => t.stop());

    it('at /v1/openapi.json and as an interactive reference at /v1/docs, without a token, from no CDN', async () => {
      const served = await t.client.get('/v1/openapi.json', { token: null });
      expect(served.status).toBe(200);
      expect(served.json.paths['/v1/envs/{env}/secrets'].post.operationId).toBe('StoreSecret');
      const page = await fetch(`${t.server.url}/v1/docs/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toMatch(/swagger/i);
      expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
      expect(page.headers.get('content-security-policy')).toBeTruthy();
    });
  });
});
