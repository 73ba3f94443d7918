import { readFileSync, statSync } from 'node:fs';
import dotenv from 'dotenv';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import { refuseDuplicateJsonKeys } from '../../shared/duplicate-json-keys.js';

/** One secret read from an import source: its key in the file (before any prefix) and its text value. */
export interface ImportEntry {
  readonly key: string;
  readonly value: string;
}

/** A source file larger than this is refused before it is read (bytes): no secrets file is this big. */
export const MAX_IMPORT_FILE_BYTES = 64 * 1024 * 1024;

const invalid = (message: string): StrongroomError => new StrongroomError(ErrorCode.InvalidInput, message);

/** The file's bytes as UTF-8 text. @throws INVALID_INPUT when missing, too large or not UTF-8. */
export const readTextFile = (path: string, what: string): string => {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw invalid(`${what} ${path} is not a regular file`);
    size = stat.size;
  } catch (e) {
    if (e instanceof StrongroomError) throw e;
    throw invalid(`cannot read ${what} ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (size > MAX_IMPORT_FILE_BYTES) throw invalid(`${what} ${path} is larger than ${MAX_IMPORT_FILE_BYTES} bytes`);
  const bytes = readFileSync(path);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid(`${what} ${path} is not UTF-8 text`);
  }
};

const ASSIGNMENT = /^\s*(?:export\s+)?([\w.-]+)\s*(?:=|:\s)/;
const IGNORABLE = /^\s*(?:#.*)?$/;

/**
 * A dotenv file, parsed by `dotenv` (v17) itself. dotenv skips what it cannot read and keeps the last of
 * repeated keys without a word; an import must not lose a line silently, so both are refused here. (With
 * a multi-line quoted value in the file, lines inside it are not checked one by one.)
 * @throws INVALID_INPUT naming the line number (never its contents) of a line that is not `KEY=value`,
 *   or the key given twice.
 */
export const parseDotenv = (text: string, path: string): ImportEntry[] => {
  const parsed = dotenv.parse(text);
  const multiLine = Object.values(parsed).some((v) => v.includes('\n'));
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((line, i) => {
    const key = ASSIGNMENT.exec(line)?.[1];
    if (key === undefined) {
      if (!multiLine && !IGNORABLE.test(line)) throw invalid(`${path} line ${i + 1} is not KEY=value`);
      return;
    }
    if (seen.has(key) && !multiLine) throw invalid(`${path} gives ${key} more than once (line ${i + 1})`);
    seen.add(key);
  });
  return Object.entries(parsed).map(([key, value]) => ({ key, value }));
};

/**
 * A JSON object of name to text value, as `strongroom export --format json` writes it.
 * @throws INVALID_INPUT when it is not JSON, repeats a name (JSON.parse would keep the last silently), is
 * not an object, or a value is not a string.
 */
export const parseJsonSecrets = (text: string, path: string): ImportEntry[] => {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw invalid(`${path} is not valid JSON`);
  }
  refuseDuplicateJsonKeys(text, path);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw invalid(`${path} must hold a JSON object of name to value`);
  return Object.entries(document).map(([key, value]) => {
    if (typeof value !== 'string') throw invalid(`${path}: the value of ${JSON.stringify(key.slice(0, 64))} must be a string`);
    return { key, value };
  });
};
