import { assignVariables, explicitVariables, isVariableName, variableNameFor } from '../../src/secrets/domain/environment-variables.js';
import { validateName } from '../../src/secrets/domain/secret-rules.js';
import fc from 'fast-check';

describe('secret names as environment variables (the documented rule)', () => {
  it.each([
    ['db-password', '', 'DB_PASSWORD'],
    ['payments/db-password', 'payments/', 'DB_PASSWORD'],
    ['payments/db-password', 'payments', 'DB_PASSWORD'],
    ['payments/db-password', '', 'PAYMENTS_DB_PASSWORD'],
    ['api.key@v2', '', 'API_KEY_V2'],
    ['3scale-token', '', '_3SCALE_TOKEN'],
    ['Stripe_Key', '', 'STRIPE_KEY'],
  ])('%s with prefix %j is %s', (name, prefix, variable) => {
    expect(variableNameFor(name, prefix)).toBe(variable);
  });

  it('every valid secret name maps to a portable variable name', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_.@-]{1,12}$/).filter((s) => s !== '.' && s !== '..');
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), (segments) => {
        const name = segments.join('/');
        fc.pre((() => { try { validateName(name); return true; } catch { return false; } })());
        expect(isVariableName(variableNameFor(name))).toBe(true);
      }),
    );
  });

  it('refuses two secrets that map to one variable, naming both', () => {
    expect(() => assignVariables(['db-url', 'db_url'])).toThrow(/secrets db-url and db_url both map to the variable DB_URL/);
    expect(() => assignVariables(['a/b', 'a.b'])).toThrow(/A_B/);
    expect([...assignVariables(['b', 'a'])]).toEqual([['B', 'b'], ['A', 'a']]);
  });

  it('refuses a name that is all prefix', () => {
    expect(() => variableNameFor('payments/', 'payments/')).toThrow(/no variable name/);
  });

  it('an explicit mapping must be an object of portable variable names to names', () => {
    expect([...explicitVariables({ DATABASE_URL: 'payments/db' })]).toEqual([['DATABASE_URL', 'payments/db']]);
    expect(() => explicitVariables(['x'])).toThrow(/JSON object/);
    expect(() => explicitVariables({ '1X': 'a' })).toThrow(/not a valid variable name/);
    expect(() => explicitVariables({ 'A-B': 'a' })).toThrow(/not a valid variable name/);
    expect(() => explicitVariables({ A: 3 })).toThrow(/must be a secret name/);
    expect(() => explicitVariables({})).toThrow(/names no variables/);
  });
});
