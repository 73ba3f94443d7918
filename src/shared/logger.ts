import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs on stderr (stdout is for command output). Values, keys and tokens are never logged;
 * the redact list is a second line of defence for fields that should never carry them anyway.
 */
export const createLogger = (options: { level?: string; silent?: boolean; human?: boolean } = {}): Logger =>
  pino(
    {
      level: options.silent ? 'silent' : (options.level ?? process.env.STRONGROOM_LOG_LEVEL ?? 'info'),
      base: { service: 'strongroom' },
      redact: { paths: ['value', '*.value', 'token', '*.token', 'authorization', '*.authorization', 'key', '*.key'], censor: '[redacted]' },
    },
    options.human ? humanLines : pino.destination(2),
  );

const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warning', 50: 'error', 60: 'fatal' };

/**
 * For a person at a CLI: each record as one `strongroom: warning: message` line on stderr, so what a
 * verb prints for people is never interleaved with JSON. (pino-pretty would do this too, as a worker
 * thread and a dependency, for a few lines per command.) The message only: fields stay in JSON mode.
 */
const humanLines = {
  write(line: string): void {
    const record = JSON.parse(line) as { level: number; msg?: string };
    process.stderr.write(`strongroom: ${LEVEL_NAMES[record.level] ?? 'log'}: ${record.msg ?? ''}\n`);
  },
};
