import { readFileSync, statSync } from 'node:fs';
import { isUtf8 } from '../../secrets/domain/secret-value.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';

/** The value flags every verb that takes a value accepts. */
export interface ValueFlags {
  /** Read the value from this file, byte for byte. */
  readonly valueFile?: string;
  /** Store the bytes as a binary value (never decoded as text). */
  readonly binary?: boolean;
}

/**
 * Where a value comes from, and the one rule for all of them (README, "Secret values"):
 * - `VALUE` argument: exactly that text (it is visible in shell history and `ps`, so we warn);
 * - `--value-file PATH`, or a pipe / redirect on stdin: exactly the bytes, final newline included;
 * - a terminal: one line typed without echo; the Enter that ends it is not part of the value.
 * Bytes become a text value when they are valid UTF-8, and are refused otherwise unless `--binary`
 * says to keep them as bytes; with `--binary` they are always stored as bytes. Nothing is trimmed.
 */
export const readValue = async (
  given: string | undefined,
  flags: ValueFlags,
  prompt: string,
  maxBytes: number,
  warn: (text: string) => void,
): Promise<string | Uint8Array> => {
  if (given !== undefined && flags.valueFile !== undefined) {
    throw new StrongroomError(ErrorCode.InvalidInput, 'give the value as an argument or with --value-file, not both');
  }
  if (given !== undefined) {
    warn('warning: a value given as an argument is visible in your shell history and to other users via ps; prefer stdin or --value-file');
    return flags.binary ? new Uint8Array(Buffer.from(given, 'utf8')) : given;
  }
  if (flags.valueFile !== undefined) return asValue(readFileValue(flags.valueFile, maxBytes), flags);
  const stdin = process.stdin;
  if (stdin.isTTY) {
    if (typeof stdin.setRawMode !== 'function') {
      throw new StrongroomError(ErrorCode.InvalidInput, 'no value given; pass it on stdin or with --value-file');
    }
    return asValue(Buffer.from(await promptWithoutEcho(stdin, prompt), 'utf8'), flags);
  }
  return asValue(await readAll(stdin, maxBytes), flags);
};

const asValue = (bytes: Buffer, flags: ValueFlags): string | Uint8Array => {
  if (flags.binary) return new Uint8Array(bytes);
  if (!isUtf8(bytes)) {
    throw new StrongroomError(ErrorCode.InvalidInput, 'the value is not valid UTF-8 text; pass --binary to store it as bytes (it is then returned byte for byte)');
  }
  return bytes.toString('utf8');
};

const tooLarge = (maxBytes: number): StrongroomError =>
  new StrongroomError(ErrorCode.ValueTooLarge, `the value is larger than the limit of ${maxBytes} bytes (STRONGROOM_MAX_VALUE_BYTES)`, { limit: maxBytes });

const readFileValue = (path: string, maxBytes: number): Buffer => {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new StrongroomError(ErrorCode.InvalidInput, `--value-file ${path} is not a regular file`);
    size = stat.size;
  } catch (e) {
    if (e instanceof StrongroomError) throw e;
    throw new StrongroomError(ErrorCode.InvalidInput, `cannot read --value-file ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (size > maxBytes) throw tooLarge(maxBytes);
  return readFileSync(path);
};

const readAll = async (stream: NodeJS.ReadableStream, maxBytes: number): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
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
