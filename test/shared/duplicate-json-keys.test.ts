import fc from 'fast-check';
import { duplicateJsonKey, refuseDuplicateJsonKeys } from '../../src/shared/duplicate-json-keys.js';

/**
 * The repeated-key scanner every JSON input goes through (HTTP bodies, bus payloads, CLI JSON files):
 * JSON.parse keeps the last of repeated keys, so `{"value":"first","value":"second"}` stored "second".
 */
describe('duplicateJsonKey', () => {
  it.each([
    ['a top-level key', '{"name":"x/dup","value":"first","value":"second"}', 'value'],
    ['a nested object', '{"metadata":{"owner":"a","owner":"b"}}', 'metadata.owner'],
    ['an object inside an array', '{"rules":[{"allow":["read"]},{"allow":[],"allow":["write"]}]}', 'rules[1].allow'],
    ['the same key spelt with an escape', '{"a":1,"\\u0061":2}', 'a'],
    ['a key holding escaped quotes', '{"k\\"":1,"k\\"":2}', 'k"'],
  ])('finds %s', (_what, text, key) => {
    expect(duplicateJsonKey(text)).toBe(key);
  });

  it.each([
    ['the same key in sibling objects', '{"a":{"x":1},"b":{"x":1}}'],
    ['equal objects in an array', '[{"a":1},{"a":1}]'],
    ['a key pattern inside a string value', '{"value":"\\"value\\": 2","other":"\\"value\\":"}'],
    ['a value ending in a backslash', '{"a\\\\":"\\\\","b":"\\\\"}'],
    ['a scalar', '"value"'],
  ])('accepts %s', (_what, text) => {
    expect(duplicateJsonKey(text)).toBeUndefined();
  });

  it('finds a repeat exactly when some generated object repeats a (decoded) key, at any depth', () => {
    // Each generated text comes with whether the generator put the same decoded key twice in one object.
    type Gen = { text: string; repeats: boolean };
    const keyArb = fc.constantFrom('"a"', '"b"', '"\\u0061"', '"é"', '"a\\"b"', '"\\\\"', '"\\"value\\":"');
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.constant(null)).map((v): Gen => ({ text: JSON.stringify(v), repeats: false }));
    const { tree } = fc.letrec<{ tree: Gen; object: Gen; array: Gen }>((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, tie('object'), tie('array')),
      object: fc.array(fc.tuple(keyArb, tie('tree')), { maxLength: 4 }).map((pairs) => {
        const decoded = pairs.map(([k]) => JSON.parse(k) as string);
        return { text: `{${pairs.map(([k, v]) => `${k} : ${v.text}`).join(',')}}`, repeats: new Set(decoded).size < decoded.length || pairs.some(([, v]) => v.repeats) };
      }),
      array: fc.array(tie('tree'), { maxLength: 3 }).map((items) => ({ text: `[${items.map((i) => i.text).join(', ')}]`, repeats: items.some((i) => i.repeats) })),
    }));
    fc.assert(
      fc.property(tree, ({ text, repeats }) => {
        JSON.parse(text);
        expect(duplicateJsonKey(text) !== undefined).toBe(repeats);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses naming the key and never a value', () => {
    expect(() => refuseDuplicateJsonKeys('{"value":"hunter2","value":"swordfish"}', 'the request body')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: 'the request body gives the key "value" more than once: send each key once' }),
    );
  });
});
