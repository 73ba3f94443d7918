import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs on stderr (stdout is for command output). Values, keys and tokens are never logged;
 * the redact list is a second line of defence for fields that should never carry them anyway.
 */
export const createLogger = (options: { level?: string; silent?: boolean } = {}): Logger =>
  pino(
    {
      level: options.silent ? 'silent' : (options.level ?? process.env.STRONGROOM_LOG_LEVEL ?? 'info'),
      base: { service: 'strongroom' },
      redact: { paths: ['value', '*.value', 'token', '*.token', 'authorization', '*.authorization', 'key', '*.key'], censor: '[redacted]' },
    },
    pino.destination(2),
  );
