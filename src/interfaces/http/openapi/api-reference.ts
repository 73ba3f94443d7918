import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { CATALOGUE } from '../../../catalogue.js';
import { openApiDocument } from './openapi-document.js';

/** Where the document and the interactive reference are served (no token needed: they hold no data). */
export const OPENAPI_PATH = '/v1/openapi.json';
export const REFERENCE_PATH = '/v1/docs';

/**
 * Serves the generated OpenAPI document at /v1/openapi.json and Swagger UI (assets served locally by
 * @fastify/swagger-ui, nothing from a CDN) at /v1/docs.
 */
export const serveApiReference = async (fastify: FastifyInstance, version: string): Promise<void> => {
  const document = openApiDocument(CATALOGUE, version);
  await fastify.register(swagger, { mode: 'static', specification: { document: document as never } });
  await fastify.register(swaggerUi, { routePrefix: REFERENCE_PATH, staticCSP: true, uiConfig: { deepLinking: false } });
  fastify.get(OPENAPI_PATH, (_request, reply) => {
    void reply.header('content-type', 'application/json; charset=utf-8').send(document);
  });
};
