import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { npmEnv, REPO_ROOT } from '../package/npm.js';
import { resolveOptions } from '../../src/config/options.js';
import { serveHttp } from '../../src/interfaces/http/serve-http.js';
import { createLogger } from '../../src/shared/logger.js';
import { tempHome } from '../support/temp-home.js';

/**
 * Without a NATS URL nothing about NATS is loaded (no NATS client, no bus module); with one that does
 * not answer, the server refuses to start with BUS_UNAVAILABLE instead of serving without its bus.
 * Needs dist/ (npm test builds it first).
 */
const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.LOADED_LOG, resolved.url + '\\n');
  return resolved;
}
`;

describe('the bus is optional', () => {
  it('serves HTTP without loading any NATS module when no NATS URL is configured', async () => {
    const { home, cleanup } = tempHome('no-bus');
    try {
      const log = join(home, 'loaded.log');
      writeFileSync(log, '');
      writeFileSync(join(home, 'hooks.mjs'), HOOKS);
      writeFileSync(join(home, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
      const serve = pathToFileURL(join(REPO_ROOT, 'dist', 'interfaces', 'http', 'serve-http.js')).href;
      const options = pathToFileURL(join(REPO_ROOT, 'dist', 'config', 'options.js')).href;
      const logger = pathToFileURL(join(REPO_ROOT, 'dist', 'shared', 'logger.js')).href;
      const script = `
        const { createLogger } = await import(${JSON.stringify(logger)});
        const { serveHttp } = await import(${JSON.stringify(serve)});
        const { resolveOptions } = await import(${JSON.stringify(options)});
        const server = await serveHttp(resolveOptions({ env: { STRONGROOM_PORT: '0' }, home: ${JSON.stringify(join(home, 'h'))} }), { logger: createLogger({ silent: true }), initialiseIfEmpty: true });
        const res = await fetch(server.url + '/healthz');
        console.log(res.status);
        await server.close();
      `;
      writeFileSync(join(home, 'serve.mjs'), script);
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', './register.mjs', 'serve.mjs'], { cwd: home, env: npmEnv({ LOADED_LOG: log }) });
      expect(stdout.trim()).toBe('200');
      const loaded = readFileSync(log, 'utf8').split('\n');
      expect(loaded.some((url) => url.includes('/dist/interfaces/http/'))).toBe(true);
      expect(loaded.filter((url) => url.includes('/@nats-io/') || url.includes('/interfaces/bus/'))).toEqual([]);
    } finally {
      cleanup();
    }
  }, 60_000);

  it('refuses to start with BUS_UNAVAILABLE when the NATS server does not answer', async () => {
    const { home, cleanup } = tempHome('bus-down');
    try {
      const options = resolveOptions({ env: { STRONGROOM_PORT: '0', STRONGROOM_NATS_URL: 'nats://user:pw@127.0.0.1:1' }, home });
      const failed = serveHttp(options, { logger: createLogger({ silent: true }), initialiseIfEmpty: true });
      await expect(failed).rejects.toMatchObject({ code: 'BUS_UNAVAILABLE' });
      await expect(failed).rejects.not.toThrow(/pw/);
    } finally {
      cleanup();
    }
  });
});
