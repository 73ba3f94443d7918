import fc from 'fast-check';
import { validateMetadata, validateName, validateSecretId, validateValue } from '../../src/secrets/domain/secret-rules.js';

const code = (f: () => unknown): unknown => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as { code?: unknown }).code;
  }
};

describe('secret input rules', () => {
  it.each([
    ['a number', 42],
    ['an empty string', ''],
    ['a control character', 'db\npassword'],
    ['a NUL', 'db\u0000'],
    ['leading white space', ' db'],
    ['something that looks like an id', 'f'.repeat(32)],
    ['an overlong name', 'n'.repeat(257)],
    ['null', null],
  ])('rejects a name that is %s', (_, name) => expect(code(() => validateName(name))).toBe('INVALID_INPUT'));

  it('accepts ordinary and unicode names', () => {
    for (const name of ['db/password', 'stripe.api-key', 'clé secrète', 'x']) expect(validateName(name)).toBe(name);
  });

  it('rejects non-string, empty and oversized values without echoing them', () => {
    expect(code(() => validateValue(42, 10))).toBe('INVALID_INPUT');
    expect(code(() => validateValue({ v: 1 }, 10))).toBe('INVALID_INPUT');
    expect(code(() => validateValue('', 10))).toBe('INVALID_INPUT');
    try {
      validateValue('s3cr3t-'.repeat(10), 16);
      throw new Error('accepted');
    } catch (e) {
      expect((e as Error).message).not.toContain('s3cr3t');
      expect((e as { code?: string }).code).toBe('INVALID_INPUT');
    }
  });

  it('counts the limit in UTF-8 bytes', () => {
    expect(validateValue('é'.repeat(8), 16)).toHaveLength(8);
    expect(code(() => validateValue('é'.repeat(9), 16))).toBe('INVALID_INPUT');
  });

  it('accepts any string within the limit', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 100 }), (s) => validateValue(s, 400) === s));
  });

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
