import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where the web console is served. */
export const CONSOLE_PATH = '/ui/';

/**
 * The console's bundle, built by `npm run build` (Vite, from ui/) into dist/ui. This file sits four
 * folders below the package root both as source (src/interfaces/http/console) and built (dist/...), so
 * the same relative path finds the bundle under Jest and under `node dist/main.js`.
 */
export const CONSOLE_BUNDLE = fileURLToPath(new URL('../../../../dist/ui/', import.meta.url));

/**
 * The console's Content-Security-Policy: scripts, styles and connections from this origin only, no
 * inline script or style (Vite emits files only), no plugins, no framing (clickjacking), no form posts
 * anywhere. With the token kept in memory and sent as a header, and no cookies, there is no CSRF surface.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = (reply: FastifyReply): void => {
  void reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cross-origin-opener-policy', 'same-origin');
};

/**
 * Serves the web console's static files under /ui/ from the same server as the API (no CDN, no other
 * origin, so `connect-src 'self'` suffices). Files are public (they hold no data); every call the
 * console makes carries the signed-in token. Without a build, /ui/ answers 503 saying how to build it.
 */
export const serveConsole = async (fastify: FastifyInstance, bundle: string = CONSOLE_BUNDLE): Promise<void> => {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.url === '/ui' || request.url.startsWith(CONSOLE_PATH)) securityHeaders(reply);
    done();
  });
  fastify.get('/ui', (_request, reply) => {
    void reply.redirect(CONSOLE_PATH, 308);
  });
  if (!existsSync(`${bundle}/index.html`)) {
    fastify.get(`${CONSOLE_PATH}*`, (_request, reply) => {
      void reply.status(503).send({ error: { code: 'NOT_IMPLEMENTED', message: 'the web console is not built: run npm run build' } });
    });
    return;
  }
  await fastify.register(fastifyStatic, { root: bundle, prefix: CONSOLE_PATH, decorateReply: false, index: 'index.html', wildcard: true });
};
