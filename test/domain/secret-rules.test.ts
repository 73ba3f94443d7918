import fc from 'fast-check';
import { validateEnvName, validateMetadata, validateName, validateSecretId } from '../../src/secrets/domain/secret-rules.js';
import { isUtf8, toSecretValue } from '../../src/secrets/domain/secret-value.js';

const code = (f: () => unknown): unknown => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as { code?: unknown }).code;
  }
};

describe('the secret name grammar (one definition for every interface)', () => {
  it.each([
    ['a number', 42],
    ['an empty string', ''],
    ['a control character', 'db\npassword'],
    ['a NUL', 'db\u0000'],
    ['leading white space', ' db'],
    ['inner white space', 'clé secrète'],
    ['something that looks like an id', 'f'.repeat(32)],
    ['an overlong name', 'n'.repeat(257)],
    ['null', null],
    // URL paths collapse these, so the name would address another secret (issue: team/../prod-db read prod-db).
    ['a ".." segment', 'team/../prod-db'],
    ['a "." segment', 'team/./db'],
    ['a leading slash', '/db'],
    ['a trailing slash', 'db/'],
    ['an empty segment', 'a//b'],
    // Ambiguous in a query string, a URL, a ${{ secrets.NAME }} reference or by Unicode look-alikes.
    ['a percent sign', 'db%2Fpassword'],
    ['a plus sign', 'a+b'],
    ['a question mark', 'a?b'],
    ['a hash', 'a#b'],
    ['a closing brace', 'a}b'],
    ['non-ASCII letters', 'clé'],
  ])('rejects a name that is %s', (_, name) => expect(code(() => validateName(name))).toBe('INVALID_INPUT'));

  it('accepts ordinary names with slashes, dots, dashes, underscores and at signs', () => {
    for (const name of ['db/password', 'stripe.api-key', 'svc@prod/db_pass', 'x', '.env', 'a/..b/c.']) expect(validateName(name)).toBe(name);
  });

  it('says why a path-collapsing name is refused', () => {
    expect(() => validateName('team/../prod-db')).toThrow(/URLs collapse/);
  });

  it('every accepted name survives URL encoding and decoding unchanged, segment by segment', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_.@-]{1,12}$/).filter((s) => s !== '.' && s !== '..');
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const name = segments.join('/');
        if (/^[0-9a-f]{32}$/.test(name)) return true;
        expect(validateName(name)).toBe(name);
        expect(decodeURIComponent(encodeURIComponent(name))).toBe(name);
        expect(new URL(`http://h/v1/secrets/${name}`).pathname).toBe(`/v1/secrets/${name}`);
        return true;
      }),
    );
  });

  it('environment names are lowercase identifiers', () => {
    expect(validateEnvName('prod')).toBe('prod');
    expect(validateEnvName('eu-west_1')).toBe('eu-west_1');
    for (const bad of ['Prod', '', '-x', 'a/b', 'x'.repeat(33), 3]) expect(code(() => validateEnvName(bad))).toBe('INVALID_INPUT');
  });
});

describe('secret values: exactly the bytes that came in, or refused', () => {
  it('rejects non-string, empty and oversized values without echoing them', () => {
    expect(code(() => toSecretValue(42, 10))).toBe('INVALID_INPUT');
    expect(code(() => toSecretValue({ v: 1 }, 10))).toBe('INVALID_INPUT');
    expect(code(() => toSecretValue('', 10))).toBe('INVALID_INPUT');
    expect(code(() => toSecretValue(new Uint8Array(0), 10))).toBe('INVALID_INPUT');
    try {
      toSecretValue('s3cr3t-'.repeat(10), 16);
      throw new Error('accepted');
    } catch (e) {
      expect((e as Error).message).not.toContain('s3cr3t');
      expect((e as { code?: string }).code).toBe('VALUE_TOO_LARGE');
    }
  });

  it('measures the limit in stored bytes, not characters or any encoding', () => {
    expect(toSecretValue('é'.repeat(8), 16).bytes).toHaveLength(16);
    expect(code(() => toSecretValue('é'.repeat(9), 16))).toBe('VALUE_TOO_LARGE');
    // 32,768 U+0001 characters are 32,768 bytes however JSON escaped them on the way in.
    expect(toSecretValue('\u0001'.repeat(32_768), 65_536).bytes).toHaveLength(32_768);
    expect(code(() => toSecretValue('a'.repeat(65_537), 65_536))).toBe('VALUE_TOO_LARGE');
    expect(toSecretValue(new Uint8Array(65_536), 65_536).bytes).toHaveLength(65_536);
    expect(code(() => toSecretValue(new Uint8Array(65_537), 65_536))).toBe('VALUE_TOO_LARGE');
  });

  it('keeps a trailing newline and every other byte', () => {
    const pem = '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\nBBBB\n-----END OPENSSH PRIVATE KEY-----\n';
    expect(toSecretValue(pem, 1000).bytes.toString('utf8')).toBe(pem);
    expect(toSecretValue(' padded \r\n', 1000).bytes.toString('utf8')).toBe(' padded \r\n');
  });

  it('refuses a lone surrogate rather than replacing it with U+FFFD', () => {
    expect(code(() => toSecretValue('a\ud800b', 100))).toBe('INVALID_INPUT');
  });

  it('stores bytes as binary and text as text, each round-tripping exactly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (bytes) => {
        const v = toSecretValue(bytes, 1000);
        return v.binary && Buffer.compare(v.bytes, Buffer.from(bytes)) === 0;
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 100 }), (s) => {
        const v = toSecretValue(s, 1000);
        return !v.binary && v.bytes.toString('utf8') === s && isUtf8(v.bytes);
      }),
    );
  });

  it('tells valid UTF-8 from other bytes', () => {
    expect(isUtf8(Buffer.from('clé', 'utf8'))).toBe(true);
    expect(isUtf8(Buffer.from([0x30, 0x82, 0xff, 0xfe]))).toBe(false);
  });
});

describe('metadata and ids', () => {
  it('validates ids and metadata', () => {
    expect(code(() => validateSecretId('A'.repeat(32)))).toBe('INVALID_INPUT');
    expect(code(() => validateSecretId('a'.repeat(31)))).toBe('INVALID_INPUT');
    expect(validateSecretId('0123456789abcdef0123456789abcdef')).toHaveLength(32);
    expect(validateMetadata(undefined)).toEqual({});
    expect(code(() => validateMetadata([1]))).toBe('INVALID_INPUT');
    expect(code(() => validateMetadata({ a: { nested: true } }))).toBe('INVALID_INPUT');
    expect(code(() => validateMetadata({ a: Number.NaN }))).toBe('INVALID_INPUT');
    expect(validateMetadata({ team: 'payments', ttl: 3, prod: true, note: null })).toEqual({ team: 'payments', ttl: 3, prod: true, note: null });
  });
});
