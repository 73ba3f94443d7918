import { ErrorCode, StrongroomError } from '../../shared/errors.js';

/**
 * A secret value for add/update/rotate: the argument when given, else all of stdin (so values never
 * have to appear in shell history or `ps`), else, on a terminal, a prompt that does not echo.
 */
export const readValue = async (given: string | undefined, prompt: string, maxBytes: number): Promise<string> => {
  if (given !== undefined) return given;
  const stdin = process.stdin;
  if (stdin.isTTY) {
    if (typeof stdin.setRawMode !== 'function') {
      throw new StrongroomError(ErrorCode.InvalidInput, 'no value given; pass it on stdin (e.g. `printf %s "$VALUE" | strongroom ...`)');
    }
    return promptWithoutEcho(stdin, prompt);
  }
  return stripOneNewline(await readAll(stdin, maxBytes));
};

/** `echo value |` and here-documents add one newline that is not part of the value; more are kept. */
export const stripOneNewline = (text: string): string =>
  text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;

// The cap leaves room for the newline we strip; the command applies the real size limit.
const readAll = async (stream: NodeJS.ReadableStream, maxBytes: number): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > maxBytes + 2) {
      throw new StrongroomError(ErrorCode.InvalidInput, `the value on stdin is larger than the limit of ${maxBytes} bytes`, { limit: maxBytes });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

const ENTER = new Set(['\r', '\n', '\u0004']); // Enter, or Ctrl-D
const CTRL_C = '\u0003';
const BACKSPACE = new Set(['\u007f', '\b']);

const promptWithoutEcho = (stdin: NodeJS.ReadStream, prompt: string): Promise<string> =>
  new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: StrongroomError): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ENTER.has(ch)) return finish();
        if (ch === CTRL_C) return finish(new StrongroomError(ErrorCode.InvalidInput, 'cancelled; no value was entered'));
        value = BACKSPACE.has(ch) ? value.slice(0, -1) : value + ch;
      }
    };
    process.stderr.write(prompt);
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
