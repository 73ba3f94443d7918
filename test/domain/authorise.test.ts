import fc from 'fast-check';
import { compileRule, authorise, type CompiledRule } from '../../src/access/domain/authorise.js';
import { compilePattern, patternCovers } from '../../src/access/domain/glob.js';
import { parsePolicyDocument, type PolicyRule } from '../../src/access/domain/policy-document.js';
import { holdsAll, ROOT_RULES } from '../../src/access/domain/privilege.js';
import { CAPABILITIES, type Capability, type Resource } from '../../src/kernel/authorisation.js';
import type { Principal } from '../../src/kernel/caller.js';

const principal = (policies: string[], root = false): Principal => ({ kind: 'service', name: 'svc', tokenId: 't', root, policies });

/** Given these policies (name -> document), when `principal` asks, then ... */
const given = (policies: Record<string, unknown>) => {
  const compiled = new Map<string, CompiledRule[]>(
    Object.entries(policies).map(([name, doc]) => [name, parsePolicyDocument(doc).rules.map((r, i) => compileRule(r, name, 1, i))]),
  );
  const rulesOf = (names: readonly string[]) => names.flatMap((n) => compiled.get(n) ?? []);
  return {
    when: (p: Principal, capability: Capability, resource: Resource, scope: 'exact' | 'any-in-env' | 'pattern' = 'exact') => authorise(rulesOf, p, capability, resource, scope),
  };
};

const payments = {
  'payments-read': {
    rules: [
      { allow: ['read', 'list', 'describe'], secrets: ['payments/**'], environments: ['prod'] },
      { deny: ['read'], secrets: ['payments/admin/*'] },
    ],
  },
};

describe('authorise: one pure decision for the gate and for replay', () => {
  it('allows what a rule grants and names the rule', () => {
    expect(given(payments).when(principal(['payments-read']), 'read', { env: 'prod', secret: 'payments/db' })).toEqual({
      allowed: true,
      rule: { policy: 'payments-read', version: 1, rule: 0 },
    });
  });

  it('denies by default: other environments, other secrets, other capabilities, no policy', () => {
    const p = principal(['payments-read']);
    expect(given(payments).when(p, 'read', { env: 'staging', secret: 'payments/db' })).toMatchObject({ allowed: false, rule: null });
    expect(given(payments).when(p, 'read', { env: 'prod', secret: 'billing/db' })).toMatchObject({ allowed: false, rule: null });
    expect(given(payments).when(p, 'update', { env: 'prod', secret: 'payments/db' })).toMatchObject({ allowed: false });
    expect(given(payments).when(principal([]), 'read', { env: 'prod', secret: 'payments/db' })).toMatchObject({ allowed: false, reason: 'it holds no policy' });
  });

  it('an explicit deny wins over an allow, and names itself', () => {
    expect(given(payments).when(principal(['payments-read']), 'read', { env: 'prod', secret: 'payments/admin/root-pw' })).toEqual({
      allowed: false,
      rule: { policy: 'payments-read', version: 1, rule: 1 },
      reason: 'denied by rule 1 of policy payments-read (version 1)',
    });
  });

  it('an action on a whole environment needs a rule on every secret; a listing needs a rule on some', () => {
    const p = principal(['payments-read']);
    expect(given(payments).when(p, 'list', { env: 'prod', secret: null }, 'any-in-env')).toMatchObject({ allowed: true });
    expect(given(payments).when(p, 'list', { env: 'prod', secret: null })).toMatchObject({ allowed: false });
    expect(given(payments).when(p, 'list', { env: 'dev', secret: null }, 'any-in-env')).toMatchObject({ allowed: false });
    const admin = { ops: { rules: [{ allow: ['admin', 'audit'], environments: ['*'] }] } };
    expect(given(admin).when(principal(['ops']), 'admin', { env: '*', secret: null })).toMatchObject({ allowed: true });
    const prodAdmin = { ops: { rules: [{ allow: ['admin'], environments: ['prod'] }] } };
    expect(given(prodAdmin).when(principal(['ops']), 'admin', { env: '*', secret: null })).toMatchObject({ allowed: false });
    expect(given(prodAdmin).when(principal(['ops']), 'admin', { env: 'prod', secret: null })).toMatchObject({ allowed: true });
  });

  it('a pattern resource needs a rule covering the whole pattern; a deny on any name it may match refuses it', () => {
    const p = principal(['payments-read']);
    const read = (secret: string) => given(payments).when(p, 'read', { env: 'prod', secret }, 'pattern').allowed;
    expect([read('payments/**'), read('payments/db'), read('payments/eu/*')]).toEqual([false, true, true]); // payments/admin/* is denied
    expect([read('**'), read('pay*/**'), read('billing/*')]).toEqual([false, false, false]);
    const narrow = { p: { rules: [{ allow: ['audit'], secrets: ['payments/*'], environments: ['prod'] }] } };
    // As a name, the literal text "payments/**" matches payments/*; as a pattern it reaches deeper names, so it is not covered.
    expect(given(narrow).when(principal(['p']), 'audit', { env: 'prod', secret: 'payments/**' }, 'pattern')).toMatchObject({ allowed: false });
    expect(given(narrow).when(principal(['p']), 'audit', { env: 'prod', secret: 'payments/*' }, 'pattern')).toMatchObject({ allowed: true });
  });

  it('root holds everything without a policy', () => {
    expect(given({}).when(principal([], true), 'admin', { env: '*', secret: null })).toEqual({ allowed: true, rule: 'root' });
  });

  it('rejects malformed policies with the rule and field named', () => {
    const bad = (doc: unknown): string => {
      try {
        parsePolicyDocument(doc);
        return 'accepted';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(bad({ rules: [{ allow: ['read'], deny: ['read'] }] })).toMatch(/exactly one of "allow" or "deny"/);
    expect(bad({ rules: [{ allow: ['fly'] }] })).toMatch(/rules\.0\.allow\.0/);
    expect(bad({ rules: [{ allow: ['read'], secrets: ['a/**b'] }] })).toMatch(/whole segment/);
    expect(bad({ rules: [{ allow: ['read'], environments: ['a/b'] }] })).toMatch(/no "\/"/);
    expect(bad({ rules: [], extra: 1 })).toMatch(/Unrecognized key/);
    expect(bad('rules: []')).toMatch(/invalid policy/);
  });
});

// ---- properties ----------------------------------------------------------------------------------

const segment = fc.constantFrom('a', 'b', 'db', 'prod', 'x-1');
const name = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
const patternSegment = fc.constantFrom('a', 'b', 'db', '*', '**', 'd*', 'x-?');
const pattern = fc.array(patternSegment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
const env = fc.constantFrom('dev', 'prod', 'staging');
const envPattern = fc.constantFrom('dev', 'prod', '*', 'st*');
const capability = fc.constantFrom(...CAPABILITIES);
const rule: fc.Arbitrary<PolicyRule> = fc.record({
  effect: fc.constantFrom('allow', 'deny'),
  capabilities: fc.uniqueArray(capability, { minLength: 1, maxLength: 3 }),
  secrets: fc.array(pattern, { minLength: 1, maxLength: 2 }),
  environments: fc.array(envPattern, { minLength: 1, maxLength: 2 }),
}) as fc.Arbitrary<PolicyRule>;
const resource = fc.record({ env, secret: name });

const decide = (rules: readonly PolicyRule[], capability: Capability, r: Resource) =>
  authorise(() => rules.map((x, i) => compileRule(x, 'p', 1, i)), principal(['p']), capability, r);

describe('authorise: properties (fast-check)', () => {
  it('deny by default: with no allow rule nothing is ever allowed', () => {
    fc.assert(
      fc.property(fc.array(rule.map((r) => ({ ...r, effect: 'deny' as const }))), capability, resource, (rules, c, r) => !decide(rules, c, r).allowed),
    );
  });

  it('an explicit deny wins: adding a matching deny rule turns any decision into a denial', () => {
    fc.assert(
      fc.property(fc.array(rule), capability, resource, (rules, c, r) => {
        const deny: PolicyRule = { effect: 'deny', capabilities: [c], secrets: [r.secret], environments: [r.env] };
        const decision = decide([...rules, deny], c, r);
        return !decision.allowed && decision.rule !== null;
      }),
    );
  });

  it('a pattern covers another only if it matches every name the other matches', () => {
    fc.assert(
      fc.property(pattern, pattern, name, (outer, inner, n) => {
        if (!patternCovers(outer, inner)) return true;
        return !compilePattern(inner).test(n) || compilePattern(outer).test(n);
      }),
      { numRuns: 2000 },
    );
  });

  it('no principal can grant more than it holds: whatever a granted policy allows, the holder is allowed', () => {
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 4 }), fc.array(rule, { maxLength: 4 }), capability, resource, (held, granted, c, r) => {
        if (!holdsAll(held, granted).ok) return true;
        return !decide(granted, c, r).allowed || decide(held, c, r).allowed;
      }),
      { numRuns: 2000 },
    );
  });

  it('root holds whatever any policy grants; an empty holder grants nothing that allows', () => {
    fc.assert(fc.property(fc.array(rule, { maxLength: 4 }), (granted) => holdsAll(ROOT_RULES, granted).ok));
    fc.assert(fc.property(fc.array(rule, { minLength: 1, maxLength: 4 }), (granted) => holdsAll([], granted).ok === granted.every((g) => g.effect === 'deny')));
  });
});

describe('patterns may overlap: never "disjoint" when a name matches both', () => {
  it('is conservative (fast-check)', async () => {
    const { patternsMayOverlap } = await import('../../src/access/domain/glob.js');
    fc.assert(
      fc.property(pattern, pattern, name, (a, b, n) => patternsMayOverlap(a, b) || !(compilePattern(a).test(n) && compilePattern(b).test(n))),
      { numRuns: 3000 },
    );
  });
});
