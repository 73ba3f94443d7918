import fc from 'fast-check';
import { errorText } from '../../ui/src/logic/error-text.js';
import { offers, refuse, rightsOf, EVERY_ENV } from '../../ui/src/logic/permissions.js';
import { groupWhatIf } from '../../ui/src/logic/what-if.js';
import { checkPolicyText } from '../../ui/src/logic/policy-check.js';
import { percentDone, rotationProgress } from '../../ui/src/logic/rotation-progress.js';
import { hrefOf, parseRoute } from '../../ui/src/logic/route.js';
import { reconnectDelayMs } from '../../ui/src/logic/sse.js';
import { matches, mergeEntries, namesOf, NO_FILTER, outcomeOf, type AuditEntry } from '../../ui/src/logic/timeline.js';

const entry = (position: number, fields: Partial<AuditEntry> = {}): AuditEntry => ({
  position,
  stream: 'secret-x',
  type: 'SecretAccessed',
  actor: 'root',
  interface: 'http',
  correlationId: 'c',
  occurredAt: `2026-01-01T00:00:${String(position % 60).padStart(2, '0')}.000Z`,
  ...fields,
});

describe('what the console offers', () => {
  it('offers everything until the server refuses, then withdraws actions needing that capability in that environment only', () => {
    let refusals = refuse(new Set(), 'newValue', 'prod');
    expect(offers(refusals, 'newValue', 'prod')).toBe(false);
    // UpdateSecret and the console's other `update` actions share the refusal; other capabilities and environments do not.
    expect(offers(refusals, 'reveal', 'prod')).toBe(true);
    expect(offers(refusals, 'rotateValue', 'prod')).toBe(true);
    expect(offers(refusals, 'newValue', 'dev')).toBe(true);
    refusals = refuse(refusals, 'timeline', EVERY_ENV);
    // A refusal across every environment (the whole audit log) withdraws the capability everywhere.
    expect(offers(refusals, 'verify', EVERY_ENV)).toBe(false);
    expect(offers(refusals, 'keyRotations', 'dev')).toBe(false);
  });
});

describe('what the console offers from the rights DescribeCaller answered', () => {
  const rights = rightsOf([
    { env: EVERY_ENV, all: ['audit'], some: ['audit'] },
    { env: 'prod', all: ['list', 'read'], some: ['list', 'read', 'rotate'] },
  ]);

  it('offers an action granted on some secrets of an environment, never one granted on none', () => {
    expect(offers(new Set(), 'reveal', 'prod', rights)).toBe(true);
    expect(offers(new Set(), 'rotateValue', 'prod', rights)).toBe(true);
    expect(offers(new Set(), 'delete', 'prod', rights)).toBe(false);
    expect(offers(new Set(), 'newValue', 'prod', rights)).toBe(false);
    // An environment it holds nothing in (or created after sign-in) offers nothing it is not granted everywhere.
    expect(offers(new Set(), 'reveal', 'dev', rights)).toBe(false);
    expect(offers(new Set(), 'timeline', 'dev', rights)).toBe(true);
  });

  it('offers a whole-store action only when granted over every environment, and a refusal still withdraws', () => {
    expect(offers(new Set(), 'verify', EVERY_ENV, rights)).toBe(true);
    expect(offers(new Set(), 'tokens', EVERY_ENV, rights)).toBe(false);
    expect(offers(refuse(new Set(), 'rotateValue', 'prod'), 'rotateValue', 'prod', rights)).toBe(false);
  });
});

describe('the what-if replay, grouped', () => {
  it('groups refused accesses by principal, then secret (capabilities merged), the most refused first', () => {
    const grouped = groupWhatIf([
      { principal: 'app', env: 'prod', secret: 'db', capability: 'read', count: 2, last: '2026-01-02' },
      { principal: 'ci', env: 'prod', secret: 'db', capability: 'read', count: 1, last: '2026-01-01' },
      { principal: 'app', env: 'prod', secret: 'db', capability: 'update', count: 3, last: '2026-01-05' },
      { principal: 'app', env: 'prod', secret: null, capability: 'rotate', count: 1, last: '2026-01-03' },
    ]);
    expect(grouped).toEqual([
      {
        principal: 'app',
        count: 6,
        secrets: [
          { env: 'prod', secret: 'db', capabilities: ['read', 'update'], count: 5, last: '2026-01-05' },
          { env: 'prod', secret: null, capabilities: ['rotate'], count: 1, last: '2026-01-03' },
        ],
      },
      { principal: 'ci', count: 1, secrets: [{ env: 'prod', secret: 'db', capabilities: ['read'], count: 1, last: '2026-01-01' }] },
    ]);
    expect(groupWhatIf([])).toEqual([]);
  });
});

describe('error messages', () => {
  it('turns the API codes into sentences and keeps the server message as detail', () => {
    expect(errorText('ACCESS_DENIED', 'bob may not update in environment prod')).toBe(
      'Your token’s policies do not allow this. The refusal has been recorded in the audit log. (bob may not update in environment prod)',
    );
    expect(errorText('UNAUTHENTICATED', '')).toMatch(/^The token was not accepted/);
    expect(errorText('SOMETHING_NEW', 'detail')).toBe('detail (SOMETHING_NEW)');
  });
});

describe('the audit timeline', () => {
  it('tells refusals from allowed events', () => {
    expect(outcomeOf(entry(1, { type: 'AccessDenied' }))).toBe('refused');
    expect(outcomeOf(entry(2, { type: 'AuthenticationFailed' }))).toBe('refused');
    expect(outcomeOf(entry(3))).toBe('allowed');
  });

  it('filters by type, outcome, principal, secret (name, prefix/ or id, names learnt from other events), environment and time', () => {
    const created = entry(1, { type: 'SecretStored', secretId: 'id-1', name: 'payments/db', env: 'prod' });
    const read = entry(2, { secretId: 'id-1', actor: 'Payments-API', env: 'prod' });
    const denied = entry(3, { type: 'AccessDenied', name: 'other/x', env: 'dev' });
    const all = [created, read, denied];
    const names = namesOf(all);
    const pick = (filter: Partial<typeof NO_FILTER>): number[] => all.filter((e) => matches(e, { ...NO_FILTER, ...filter }, names)).map((e) => e.position);
    expect(pick({})).toEqual([1, 2, 3]);
    expect(pick({ type: 'SecretAccessed' })).toEqual([2]);
    expect(pick({ outcome: 'refused' })).toEqual([3]);
    expect(pick({ principal: 'payments' })).toEqual([2]);
    expect(pick({ secret: 'payments/db' })).toEqual([1, 2]);
    expect(pick({ secret: 'payments/' })).toEqual([1, 2]);
    expect(pick({ secret: 'payments' })).toEqual([]);
    expect(pick({ secret: 'id-1' })).toEqual([1, 2]);
    expect(pick({ env: 'dev' })).toEqual([3]);
    expect(pick({ since: '2026-01-01T00:00:02.000Z' })).toEqual([2, 3]);
    expect(pick({ until: '2026-01-01T00:00:01.500Z' })).toEqual([1]);
  });

  it('merges history and live events in log order, once each, keeping the newest window', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(200)), fc.array(fc.nat(200)), fc.integer({ min: 1, max: 50 }), (a, b, max) => {
        const merged = mergeEntries(a.map((p) => entry(p)), b.map((p) => entry(p)), max);
        const expected = [...new Set([...a, ...b])].sort((x, y) => x - y).slice(-max);
        expect(merged.map((e) => e.position)).toEqual(b.length === 0 ? a.map((p) => p) : expected);
      }),
    );
  });
});

describe('a key rotation followed on the feed', () => {
  const started = (position: number, env?: string): AuditEntry => entry(position, { type: 'KeyRotationStarted', rotationId: 'r1', ...(env && { env }) });
  const reEncrypted = (position: number, rotationId = 'r1'): AuditEntry => entry(position, { type: 'SecretReEncrypted', rotationId });

  it('counts the re-encryptions of the rotation started in the environment, and nothing of other rotations', () => {
    const events = [started(10, 'prod'), reEncrypted(11), reEncrypted(12, 'other'), reEncrypted(13), entry(14, { type: 'SecretReEncryptionFailed', rotationId: 'r1' })];
    expect(rotationProgress(events, 'prod', 0)).toEqual({ rotationId: 'r1', env: 'prod', reEncrypted: 2, failed: 1, completed: false });
    expect(rotationProgress(events, 'dev', 0)).toBeNull();
    // Started before the console asked: not this rotation.
    expect(rotationProgress(events, 'prod', 11)).toBeNull();
    // The default environment's key events carry no env.
    expect(rotationProgress([started(1), reEncrypted(2)], 'default', 0)?.reEncrypted).toBe(1);
  });

  it('shows a percentage that reaches 100 only on completion', () => {
    const running = { rotationId: 'r', env: 'prod', reEncrypted: 50, failed: 0, completed: false };
    expect(percentDone(running, 200)).toBe(25);
    expect(percentDone({ ...running, reEncrypted: 300 }, 200)).toBe(99);
    expect(percentDone({ ...running, completed: true }, 200)).toBe(100);
    expect(percentDone(running, 0)).toBe(0);
  });
});

describe('pages in the URL fragment', () => {
  it('round-trips every route, secret names with slashes and odd characters included', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), fc.array(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 }), (env, parts) => {
        const name = parts.join('/');
        expect(parseRoute(hrefOf({ page: 'secret', env, name }))).toEqual({ page: 'secret', env, name });
      }),
    );
    expect(parseRoute(hrefOf({ page: 'secrets', env: 'prod', prefix: 'db/', tag: 'team=a' }))).toEqual({ page: 'secrets', env: 'prod', prefix: 'db/', tag: 'team=a' });
    expect(parseRoute('#/rotations?env=dev')).toEqual({ page: 'rotations', env: 'dev' });
    expect(parseRoute('')).toEqual({ page: 'secrets', env: 'default', prefix: '', tag: '' });
    expect(parseRoute('#/nonsense')).toEqual({ page: 'secrets', env: 'default', prefix: '', tag: '' });
  });
});

describe('the policy editor', () => {
  it("checks a document as the server does before it can be saved", () => {
    expect(checkPolicyText('{"rules":[{"allow":["read"],"secrets":["payments/**"]}]}')).toEqual({ ok: true, document: { rules: [{ allow: ['read'], secrets: ['payments/**'] }] } });
    expect(checkPolicyText('{"rules":[')).toMatchObject({ ok: false, problem: expect.stringMatching(/^not valid JSON/) });
    expect(checkPolicyText('{"rules":[{"allow":["fly"]}]}')).toMatchObject({ ok: false, problem: expect.stringContaining('capabilities are') });
    expect(checkPolicyText('{"rules":[{"allow":["read"],"deny":["read"]}]}')).toMatchObject({ ok: false, problem: expect.stringContaining('exactly one of') });
  });
});

describe('reconnecting the live feed', () => {
  it('backs off from 1 s to at most 30 s and resumes after the last position seen', () => {
    expect([0, 1, 2, 5, 10].map(reconnectDelayMs)).toEqual([1000, 2000, 4000, 30_000, 30_000]);
  });
});
