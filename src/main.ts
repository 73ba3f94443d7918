import 'reflect-metadata';
import { resolveOptions } from './config/options.js';
import { exitCodeOf } from './interfaces/cli/exit-codes.js';
import { serveHttp } from './interfaces/http/serve-http.js';
import { isTerminal, rootTokenLine } from './interfaces/root-token-display.js';
import { isStrongroomError } from './shared/errors.js';
import { createLogger } from './shared/logger.js';

/** `npm start`: the HTTP API. Configuration is read from the environment here, and only here. */
const main = async (): Promise<void> => {
  const logger = createLogger();
  let server: Awaited<ReturnType<typeof serveHttp>>;
  try {
    const options = resolveOptions({ env: process.env, role: 'server' });
    server = await serveHttp(options, { logger, initialiseIfEmpty: true });
    const token = server.initialised?.apiToken;
    // stdout, not the logger, and the token itself only on a terminal: it must never reach log files,
    // aggregators or a container's log.
    if (token) process.stdout.write(`${rootTokenLine(token, options.apiTokenFile, isTerminal(process.stdout))}\n`);
  } catch (e) {
    // Start-up errors carry paths and codes, never values; their messages tell the operator what to fix.
    logger.fatal(isStrongroomError(e) ? { code: e.code } : { name: (e as Error).name, code: (e as NodeJS.ErrnoException).code }, (e as Error).message);
    process.exitCode = exitCodeOf(e); // the statuses `strongroom serve` exits with (e.g. 5: address in use)
    return;
  }
  logger.info({ url: server.url }, 'strongroom listening');

  let closing = false;
  const shutDown = (signal: NodeJS.Signals): void => {
    if (closing) process.exit(1); // a second signal: stop waiting
    closing = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => logger.info('stopped'),
      (e: unknown) => {
        logger.error({ name: (e as Error).name }, 'shutdown failed');
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGINT', shutDown);
  process.on('SIGTERM', shutDown);
};

await main();
