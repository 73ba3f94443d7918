import { join } from 'node:path';
import { fernetDecrypt, parseFernetKey } from '../../crypto/fernet.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import { readTextFile, type ImportEntry } from './import-sources.js';
import { refuseDuplicateJsonKeys } from '../../shared/duplicate-json-keys.js';

/**
 * A MUXI formation's secrets (muxi-ai/runtime, services/secrets/secrets_manager.py): `DIR/.key` holds a
 * Fernet key (the standard urlsafe-base64 text) and `DIR/secrets.enc` one Fernet token over a JSON
 * object of upper-cased names (`[A-Z0-9_]`) to values. Values are usually strings; any other JSON value
 * is imported as its JSON text. The token's age is not checked (MUXI sets no TTL). Neither the key nor a
 * value ever appears in a message.
 * @throws INVALID_INPUT when a file is missing or malformed, or the token does not decrypt with the key.
 */
export const readMuxiFormation = (dir: string): { entries: ImportEntry[]; converted: string[] } => {
  const keyText = readTextFile(join(dir, '.key'), 'MUXI key file');
  const token = readTextFile(join(dir, 'secrets.enc'), 'MUXI secrets file').trim();
  let key;
  try {
    key = parseFernetKey(keyText);
  } catch {
    throw new StrongroomError(ErrorCode.InvalidInput, `${join(dir, '.key')} does not hold a Fernet key`);
  }
  let plaintext: Buffer;
  try {
    plaintext = fernetDecrypt(key, token);
  } catch {
    throw new StrongroomError(ErrorCode.InvalidInput, `${join(dir, 'secrets.enc')} does not decrypt with ${join(dir, '.key')} (a different key, or a damaged file)`);
  }
  let document: unknown;
  const text = plaintext.toString('utf8');
  try {
    document = JSON.parse(text);
  } catch {
    throw new StrongroomError(ErrorCode.InvalidInput, `${join(dir, 'secrets.enc')} decrypts, but not to a JSON object`);
  }
  refuseDuplicateJsonKeys(text, join(dir, 'secrets.enc'));
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new StrongroomError(ErrorCode.InvalidInput, `${join(dir, 'secrets.enc')} decrypts, but not to a JSON object`);
  }
  const converted: string[] = [];
  const entries = Object.entries(document).map(([key, value]) => {
    if (typeof value === 'string') return { key, value };
    converted.push(key);
    return { key, value: JSON.stringify(value) };
  });
  return { entries, converted };
};
