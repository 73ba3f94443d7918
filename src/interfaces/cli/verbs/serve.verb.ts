import type { Command } from 'commander';
import { resolveOptions } from '../../../config/options.js';
import { ExitCode } from '../exit-codes.js';
import { nonNegativeInteger } from '../parse-args.js';
import { isTerminal } from '../../root-token-display.js';
import { cliLogger, type CliContext, type GlobalOptions } from '../session.js';
import { initialisedReport, initialisedText } from './initialised-message.js';
import { defineVerb } from './define-verb.js';

/**
 * Listening starts before the server does: a signal that arrives while it starts, or just after the
 * URL is printed, must still shut down cleanly rather than kill the process. A second signal stops waiting.
 */
const shutdownSignal = (): Promise<NodeJS.Signals> =>
  new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) process.exit(ExitCode.Unexpected);
      received = true;
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });

export const serveVerb = (program: Command, cli: CliContext): void => {
  const { output } = cli;
  defineVerb(program, 'serve', 'run the HTTP API until SIGINT or SIGTERM (initialises an empty home)', { env: false })
    .option('--port <port>', 'TCP port (default: $STRONGROOM_PORT or 7300; 0 picks a free one)', nonNegativeInteger)
    .option('--nats <url>', 'also serve the bus on this NATS server, e.g. nats://127.0.0.1:4222 (default: $STRONGROOM_NATS_URL; none: no bus)')
    .action(async (flags: { port?: number; nats?: string }, command: Command) => {
      cli.localOnly(command, 'serve');
      const { home, store } = command.optsWithGlobals<GlobalOptions>();
      const options = resolveOptions({ env: process.env, home, store, port: flags.port, nats: flags.nats, role: 'server' });
      // Imported here: the HTTP stack is start-up time no other verb should pay for.
      const { serveHttp } = await import('../../http/serve-http.js');
      const stopRequested = shutdownSignal();
      // A server's log is its record of requests, so it logs at info unless told otherwise.
      const server = await serveHttp(options, { logger: cliLogger('info'), initialiseIfEmpty: true });
      try {
        // A server's stdout is often a log (a container's, a journal): the new root token only on a terminal.
        const showToken = isTerminal(process.stdout);
        const initialised = server.initialised ? initialisedReport(options, server.initialised, showToken) : null;
        output.result({ url: server.url, initialised }, () =>
          [...(server.initialised ? [initialisedText(options, server.initialised, showToken)] : []), `Strongroom HTTP API listening on ${server.url}`, ...(options.nats ? [`Strongroom bus on NATS, subjects ${options.nats.prefix}.<env>.cmd.<UseCase>`] : [])].join('\n'),
        );
        await stopRequested;
      } finally {
        await server.close();
      }
    });
};
