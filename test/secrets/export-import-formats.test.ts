import dotenv from 'dotenv';
import fc from 'fast-check';
import { dotenvLine } from '../../src/secrets/queries/export-secrets/dotenv-format.js';
import { assignVariables } from '../../src/secrets/domain/environment-variables.js';
import { formatExport, textValues } from '../../src/secrets/queries/export-secrets/export-format.js';
import type { ExportedSecret } from '../../src/secrets/queries/export-secrets/export-secrets.query.js';
import { parseDotenv, parseJsonSecrets } from '../../src/secrets/import/import-sources.js';
import { ErrorCode, StrongroomError } from '../../src/shared/errors.js';

const secret = (name: string, value: string | Buffer, binary = false): ExportedSecret => ({
  id: '0'.repeat(32),
  name,
  version: 1,
  bytes: Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8'),
  binary,
});

describe('dotenv export', () => {
  it.each([
    ['plain', 's3cr3t'],
    ['spaces kept', '  padded value  '],
    ['a hash is not a comment', 'abc#def # ghi'],
    ['single quotes', "it's"],
    ['both quotes', `it's "quoted"`],
    ['a PEM block', '-----BEGIN KEY-----\nMIIB\nAbC=\n-----END KEY-----\n'],
    ['dollar signs stay literal', 'pa$$word ${HOME}'],
    ['backslashes', 'C:\\temp\\new'],
    ['carriage return', 'line1\r\nline2'],
  ])('%s: the line reads back as the same value with dotenv', (_what, value) => {
    const line = dotenvLine('X', value, 'x');
    expect(dotenv.parse(line).X).toBe(value);
  });

  it('any text either reads back exactly or is refused by name, never written wrongly', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', "'", '"', '`', '\\', 'n', 'r', '\n', '\r', ' ', '#', '=') , maxLength: 12 }), (value) => {
        try {
          expect(dotenv.parse(dotenvLine('K', value, 'the-secret')).K).toBe(value);
        } catch (e) {
          if (!(e instanceof StrongroomError)) throw e;
          expect(e.code).toBe(ErrorCode.InvalidInput);
          expect(e.message).toContain('the-secret');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a whole export reads back with the variable names of the rule, and imports back as the same entries', () => {
    const values = textValues([secret('app/db-url', 'postgres://u:p@h/db'), secret('app/token', "it's\nmulti")]);
    const text = formatExport(values, assignVariables([...values.keys()], 'app/'), 'dotenv', 'app/');
    expect(dotenv.parse(text)).toEqual({ DB_URL: 'postgres://u:p@h/db', TOKEN: "it's\nmulti" });
    expect(parseDotenv(text, 'f.env')).toEqual([
      { key: 'DB_URL', value: 'postgres://u:p@h/db' },
      { key: 'TOKEN', value: "it's\nmulti" },
    ]);
  });

  it('binary values and NUL characters are refused by name', () => {
    expect(() => textValues([secret('cert', Buffer.from([0xff, 0x00]), true)])).toThrow(/cert is a binary value/);
    expect(() => textValues([secret('nul', 'a\0b')])).toThrow(/nul contains a NUL/);
  });
});

describe('JSON export', () => {
  it('names without the prefix, in order; import reads it back', () => {
    const text = formatExport(textValues([secret('app/a', '1'), secret('app/b/c', '2')]), undefined, 'json', 'app/');
    expect(JSON.parse(text)).toEqual({ a: '1', 'b/c': '2' });
    expect(parseJsonSecrets(text, 'x.json')).toEqual([
      { key: 'a', value: '1' },
      { key: 'b/c', value: '2' },
    ]);
  });
});

describe('import sources refuse what they cannot read faithfully', () => {
  it('dotenv: a line that is not KEY=value, or a key given twice, is an error naming the line', () => {
    expect(() => parseDotenv('A=1\nthis is not an assignment\n', 'f.env')).toThrow(/f.env line 2 is not KEY=value/);
    expect(() => parseDotenv('A=1\nB=2\nA=3\n', 'f.env')).toThrow(/gives A more than once \(line 3\)/);
    expect(parseDotenv('# comment\n\nexport A=1\nB: 2\n', 'f.env')).toEqual([
      { key: 'A', value: '1' },
      { key: 'B', value: '2' },
    ]);
  });

  it('JSON: an object of strings only', () => {
    expect(() => parseJsonSecrets('[1]', 'x.json')).toThrow(/JSON object/);
    expect(() => parseJsonSecrets('{"a": 1}', 'x.json')).toThrow(/value of "a" must be a string/);
    expect(() => parseJsonSecrets('{', 'x.json')).toThrow(/not valid JSON/);
  });

  it('JSON: a name given twice is refused naming it, never its values (JSON.parse kept the last)', () => {
    const refused = (): unknown => parseJsonSecrets('{"A":"first-value","B":"x","A":"second-value"}', 'x.json');
    expect(refused).toThrow('x.json gives the key "A" more than once');
    expect(refused).not.toThrow(/first-value|second-value/);
  });
});
