import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { TokenAuthenticator } from '../src/access/token-authenticator.js';
import { Strongroom } from '../src/bootstrap/strongroom.js';
import { resolveOptions } from '../src/config/options.js';
import { serveHttp } from '../src/interfaces/http/serve-http.js';
import { createLogger } from '../src/shared/logger.js';

/**
 * One HTTP server in its own process, so the load generator (autocannon, in the bench process) does not
 * share its event loop: `node http-child.js strongroom|bare <home>`. Prints one JSON line
 * `{ url, token }` once listening, and stops on SIGTERM.
 *
 * - `strongroom`: the real server (`serveHttp`, Nest + Fastify, every guard, the audited pipeline).
 * - `bare`: a bare Fastify route, GET /bare/:ref, with the same token check (the same Bearer pattern and
 *   TokenAuthenticator over the same home's tokens) answering a fixed small JSON body: no audit, no
 *   decrypt, no Nest. It is the ceiling of "HTTP plus authentication" on this machine.
 */

const BEARER = /^Bearer +([\x21-\x7e]{1,512}) *$/i;
const [mode, home] = process.argv.slice(2);
if (!home || (mode !== 'strongroom' && mode !== 'bare')) throw new Error('usage: http-child strongroom|bare <home>');
const logger = createLogger({ silent: true });
const options = resolveOptions({ env: { STRONGROOM_PORT: '0' }, home });

const tokenOf = (): string => readFileSync(options.apiTokenFile, 'utf8').trim();

if (mode === 'strongroom') {
  const server = await serveHttp(options, { logger, initialiseIfEmpty: true });
  const token = server.initialised?.apiToken ?? tokenOf();
  process.on('SIGTERM', () => void server.close().finally(() => process.exit(0)));
  process.stdout.write(`${JSON.stringify({ url: server.url, token })}\n`);
} else {
  const s = await Strongroom.open(options, { initialiseIfEmpty: false, interface: 'http', logger });
  const authenticator = s.app.get(TokenAuthenticator);
  const app = Fastify({ logger: false });
  app.get('/bare/:ref', async (request, reply) => {
    const header = request.headers.authorization;
    const match = header === undefined ? undefined : BEARER.exec(header);
    try {
      authenticator.authenticate({ token: match?.[1], interface: 'http', client: request.ip ?? null });
    } catch {
      return reply.code(401).send({ error: 'UNAUTHENTICATED' });
    }
    return { ref: (request.params as { ref: string }).ref, value: 'v'.repeat(32) };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  process.on('SIGTERM', () => void app.close().then(() => s.close()).finally(() => process.exit(0)));
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}`, token: tokenOf() })}\n`);
}
