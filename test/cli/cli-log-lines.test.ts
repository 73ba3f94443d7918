import { createLogger } from '../../src/shared/logger.js';

describe('CLI log lines for people', () => {
  it('are plain `strongroom: level: message` lines, never JSON, and still redact', () => {
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const logger = createLogger({ level: 'info', human: true });
      logger.warn({ value: 'must-not-appear' }, 'rotation resumed');
      logger.info('caught up');
    } finally {
      process.stderr.write = write;
    }
    expect(written).toEqual(['strongroom: warning: rotation resumed\n', 'strongroom: info: caught up\n']);
  });
});
