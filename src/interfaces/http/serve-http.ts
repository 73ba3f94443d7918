import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import { Strongroom, type Initialised } from '../../bootstrap/strongroom.js';
import type { StrongroomOptions } from '../../config/options.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { StrongroomRuntime } from '../../bootstrap/runtime.js';
import { STRONGROOM_VERSION } from '../../shared/version.js';
import { logAccess } from './access-log.js';
import { serveApiReference } from './openapi/api-reference.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { correlationIdOf, REQUEST_ID_HEADER } from './http-caller.js';
import { HttpApiModule } from './http-api.module.js';
import { explainListenError } from './listen-error.js';
import { sendHttpError } from './http-error.filter.js';
import { canonicalSecretUrl } from './secret-url.js';
import { acceptStrictUtf8Json } from './strict-json-body.js';
import { serveConsole } from './console/serve-console.js';
import type { AttachedBus } from '../bus/attach-bus.js';

export interface ServeHttpOptions {
  readonly logger: Logger;
  readonly initialiseIfEmpty: boolean;
  readonly clock?: Clock;
}

export interface HttpServer {
  readonly strongroom: Strongroom<NestFastifyApplication>;
  readonly app: NestFastifyApplication;
  /** e.g. `http://127.0.0.1:7300` (the real port when options asked for port 0). */
  readonly url: string;
  /** Non-null when this start initialised an empty home; its `apiToken` is for the caller to show once. */
  readonly initialised: Initialised | null;
  /** The bus beside HTTP (`serve --nats`), or null without one. */
  readonly bus: AttachedBus | null;
  /** Stops listening, stops following the log, closes the store. */
  close(): Promise<void>;
}

/**
 * Room for the largest value however JSON escapes it: a value of N bytes is at most N characters, and
 * the worst escaping (`\u0001`) takes 6 bytes per character; base64 takes 4 per 3. Plus name and metadata.
 * The value itself is then measured after decoding (VALUE_TOO_LARGE), never the request's encoding.
 */
export const bodyLimitFor = (options: StrongroomOptions): number => options.maxValueBytes * 6 + 64 * 1024;

const fastifyOptions = (options: StrongroomOptions, logger: Logger): FastifyServerOptions => ({
  bodyLimit: bodyLimitFor(options),
  // The client address the failure limiter and the access log use; behind a proxy, its X-Forwarded-For.
  trustProxy: options.trustProxy,
  // Encoded names (`db%2Fpassword`) are one path parameter; the router's default cap is 100 characters.
  routerOptions: { maxParamLength: 4096 },
  // A HEAD of a secret would be an audited read that delivers nothing; GET is the only way to read.
  exposeHeadRoutes: false,
  rewriteUrl: (req) => canonicalSecretUrl(req.method ?? 'GET', req.url ?? '/'),
  // `request.id` is the correlation id recorded in event metadata.
  genReqId: (req) => correlationIdOf(req.headers[REQUEST_ID_HEADER]),
  // The router rejects some URLs (malformed, over-long) before Nest sees the request.
  frameworkErrors: (error, _request, reply) => sendHttpError(reply, error, logger),
});

/**
 * What the adapter options cannot say: JSON bodies only, headers on every response, one access-log line
 * and the request metrics per request, and the failed-authentication limiter.
 */
const configureFastify = async (app: NestFastifyApplication, runtime: StrongroomRuntime, limiter: AuthFailureLimiter, logger: Logger): Promise<void> => {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('text/plain');
  acceptStrictUtf8Json(fastify);
  fastify.addHook('onRequest', (request, reply, done) => {
    // Lets a client find its request in the audit log; no response here may be cached by a proxy.
    void reply.header(REQUEST_ID_HEADER, request.id).header('cache-control', 'no-store');
    done();
  });
  // Requests in flight when the server closes finish normally, but a keep-alive socket would then hold
  // the close open until the client's idle timeout; the last response tells the client to go.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    logAccess(request, reply, runtime.metrics, logger);
    done();
  });
  await limiter.attach(fastify, runtime.options.authFailuresPerMinute);
  await serveApiReference(fastify, STRONGROOM_VERSION);
  await serveConsole(fastify);
};

/**
 * Starts the HTTP API on `options.http`: the one start-up (Strongroom.boot) with the HTTP module around
 * the kernel. Shared by `src/main.ts` and `strongroom serve`.
 */
export const serveHttp = async (options: StrongroomOptions, serve: ServeHttpOptions): Promise<HttpServer> => {
  const strongroom = await Strongroom.boot(
    options,
    { initialiseIfEmpty: serve.initialiseIfEmpty, interface: 'http', logger: serve.logger, ...(serve.clock && { clock: serve.clock }) },
    async (kernel, runtime) => {
      const limiter = new AuthFailureLimiter(() => runtime.clock.now().getTime(), () => runtime.metrics.rateLimited.inc());
      const app = await NestFactory.create<NestFastifyApplication>(HttpApiModule.around(kernel, limiter, runtime.store), new FastifyAdapter(fastifyOptions(options, serve.logger)), {
        logger: false,
        abortOnError: false,
        // JSON only: Nest would add a form parser, and Fastify parses text/plain; both bodies are refused.
        bodyParser: false,
      });
      await configureFastify(app, runtime, limiter, serve.logger);
      return app;
    },
  );
  const { app } = strongroom;
  let bus: AttachedBus | null = null;
  try {
    // After start-up (handlers registered, rotations resumed), so a queued command never meets a half-started server.
    // Imported only when configured: without a NATS URL nothing about NATS is loaded.
    if (options.nats) bus = await (await import('../bus/attach-bus.js')).attachBus(app, strongroom.runtime, options.nats, serve.logger);
    await app.listen(options.http.port, options.http.host);
  } catch (e) {
    await bus?.close().catch(() => undefined);
    await app.close();
    throw explainListenError(e, options.http);
  }
  const close = async (): Promise<void> => {
    await bus?.close();
    await app.close();
  };
  return { strongroom, app, url: await app.getUrl(), initialised: strongroom.initialised, bus, close };
};
