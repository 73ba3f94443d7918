import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PUBLISHED_FIELDS } from '../../src/interfaces/bus/events/published-fields.js';
import { REPO_ROOT } from '../package/npm.js';

/**
 * The published event contract is an explicit allow-list: every event type the codebase can record
 * (every key of every exported `*SCHEMA_VERSIONS` map, which the write path requires for an append) has
 * an entry, no entry names a type nobody records, and no entry lets out a field that carries a value,
 * a key, a token digest or a policy document.
 */
const SRC = join(REPO_ROOT, 'src');
const SENSITIVE = ['ciphertext', 'wrappedKey', 'tokenHash', 'rewrapped', 'redactions', 'digest', 'redactedDigest', 'document', 'value', 'bytes', 'metadata', 'token', 'key'];

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });

const recordedTypes = async (): Promise<Map<string, string>> => {
  const types = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    const names = [...readFileSync(file, 'utf8').matchAll(/export const ([A-Z_]*SCHEMA_VERSIONS)\b/g)].map((m) => m[1] ?? '');
    if (names.length === 0) continue;
    const module = (await import(pathToFileURL(file).href)) as Record<string, Record<string, number>>;
    for (const name of names) for (const type of Object.keys(module[name] ?? {})) types.set(type, relative(REPO_ROOT, file));
  }
  return types;
};

describe('the published event contract', () => {
  it('has an entry for every event type the codebase records, and for no other', async () => {
    const types = await recordedTypes();
    expect(types.size).toBeGreaterThan(30);
    const missing = [...types].filter(([type]) => PUBLISHED_FIELDS[type] === undefined).map(([type, file]) => `${type} (${file})`);
    expect(missing).toEqual([]);
    expect(Object.keys(PUBLISHED_FIELDS).filter((type) => !types.has(type))).toEqual([]);
  });

  it('is documented in docs/EVENTS.md: every type with its version and fields', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'EVENTS.md'), 'utf8');
    for (const [type, shape] of Object.entries(PUBLISHED_FIELDS)) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${type}\` |`));
      expect({ type, row: row !== undefined }).toEqual({ type, row: true });
      expect(row).toContain(`| ${shape.version} |`);
      for (const field of shape.fields) expect(row).toContain(`\`${field}\``);
    }
  });

  it('publishes no field that carries a value, a key, a token digest or a policy document', () => {
    for (const [type, shape] of Object.entries(PUBLISHED_FIELDS)) {
      expect({ type, leaks: shape.fields.filter((f) => SENSITIVE.includes(f)) }).toEqual({ type, leaks: [] });
      expect(shape.version).toBeGreaterThanOrEqual(1);
    }
  });
});
