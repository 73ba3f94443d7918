import type { ReportRow } from '../../src/compliance/access-report.js';
import { startTestServer, type ApiClient, type TestServer } from '../http/http-harness.js';

/**
 * A scoped auditor can do what its policy grants and nothing more: each audit use case asks the gate
 * for the narrowest resource its input names (the environment, and the secret pattern of a report),
 * which is also what its answer is filtered to. A token allowed `audit` on `**` in prod ran
 * `audit report --env prod` but not `state --at … --env prod` ("environment *"); one allowed `audit` on
 * `payments/**` in prod could not run a report filtered to `payments/**` in prod.
 */
describe('audit scoping', () => {
  let server: TestServer;
  let root: ApiClient;
  let prodAuditor: ApiClient;
  let paymentsAuditor: ApiClient;
  let position: number;

  const tokenFor = async (name: string, rules: unknown[]): Promise<ApiClient> => {
    expect((await root.put(`/v1/policies/${name}`, { document: { rules } })).status).toBe(200);
    return root.as((await root.post('/v1/tokens', { principal: name, policies: [name] })).json.token);
  };
  const rowsOf = (text: string): ReportRow[] =>
    text
      .trimEnd()
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as ReportRow);

  beforeAll(async () => {
    server = await startTestServer();
    root = server.client;
    expect((await root.post('/v1/envs', { env: 'prod' })).status).toBe(201);
    for (const name of ['payments/db', 'payments/admin/root', 'billing/db']) expect((await root.post('/v1/envs/prod/secrets', { name, value: 'v' })).status).toBe(201);
    expect((await root.post('/v1/secrets', { name: 'payments/db', value: 'v' })).status).toBe(201);
    for (const path of ['/v1/envs/prod/secrets/payments/db', '/v1/envs/prod/secrets/billing/db', '/v1/secrets/payments/db']) expect((await root.get(path)).status).toBe(200);
    position = Number((await root.post('/v1/envs/prod/secrets', { name: 'payments/later', value: 'v' })).headers.get('x-strongroom-position'));
    prodAuditor = await tokenFor('prod-auditor', [{ allow: ['audit'], secrets: ['**'], environments: ['prod'] }]);
    paymentsAuditor = await tokenFor('payments-auditor', [{ allow: ['audit'], secrets: ['payments/**'], environments: ['prod'] }]);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('an auditor of one environment reads its past state (its secrets; tokens and policies, which span every environment, withheld) and its report', async () => {
    const state = await prodAuditor.get(`/v1/state?at=${position}&env=prod`);
    expect(state.status).toBe(200);
    expect(state.json.secrets.map((s: { env: string; name: string }) => `${s.env}:${s.name}`).sort()).toEqual(['prod:billing/db', 'prod:payments/admin/root', 'prod:payments/db', 'prod:payments/later']);
    expect(state.json).toMatchObject({ tokens: [], policies: [], withheld: ['tokens', 'policies'] });
    const whole = await root.get(`/v1/state?at=${position}&env=prod`);
    expect(whole.json.withheld).toEqual([]);
    expect(whole.json.tokens.length).toBeGreaterThan(0);

    expect((await prodAuditor.get('/v1/audit/report?env=prod&format=json')).status).toBe(200);
    // Nothing more: the whole store, or another environment.
    for (const path of [`/v1/state?at=${position}`, `/v1/state?at=${position}&env=default`, '/v1/audit/report?format=json', '/v1/audit/report?env=default']) {
      expect({ path, status: (await prodAuditor.get(path)).status }).toEqual({ path, status: 403 });
    }
  });

  it('an auditor of payments/** in prod runs the report filtered to it, which shows only those secrets’ rows, and nothing wider', async () => {
    const report = await paymentsAuditor.get(`/v1/audit/report?env=prod&secret=${encodeURIComponent('payments/**')}&format=json`);
    expect(report.status).toBe(200);
    const rows = rowsOf(report.text);
    expect(rows.some((r) => r.secret === 'payments/db')).toBe(true);
    expect(rows.filter((r) => r.secret === undefined || r.secret === null || !r.secret.startsWith('payments/') || r.env !== 'prod')).toEqual([]);
    // A narrower pattern is inside the grant too.
    expect((await paymentsAuditor.get(`/v1/audit/report?env=prod&secret=${encodeURIComponent('payments/db')}`)).status).toBe(200);

    for (const query of ['env=prod', `env=prod&secret=${encodeURIComponent('**')}`, `env=prod&secret=${encodeURIComponent('billing/*')}`, `secret=${encodeURIComponent('payments/**')}`, `env=prod&secret=${encodeURIComponent('pay*/**')}`]) {
      const refused = await paymentsAuditor.get(`/v1/audit/report?${query}`);
      expect({ query, status: refused.status, code: refused.json.error.code }).toEqual({ query, status: 403, code: 'ACCESS_DENIED' });
    }
    expect((await paymentsAuditor.get(`/v1/state?at=${position}&env=prod`)).status).toBe(403);
  });

  it('a deny on some of the secrets a pattern matches refuses the report on that pattern, not on patterns clear of it', async () => {
    const denied = await tokenFor('payments-but-admin', [
      { allow: ['audit'], secrets: ['payments/**'], environments: ['prod'] },
      { deny: ['audit'], secrets: ['payments/admin/*'], environments: ['prod'] },
    ]);
    const refused = await denied.get(`/v1/audit/report?env=prod&secret=${encodeURIComponent('payments/**')}`);
    expect(refused.json.error).toMatchObject({ code: 'ACCESS_DENIED', message: expect.stringContaining('may not audit the secrets matching payments/** in environment prod') });
    expect((await denied.get(`/v1/audit/report?env=prod&secret=${encodeURIComponent('payments/db')}`)).status).toBe(200);
  });

  it('policy replay re-decides each scoped audit, allowed or refused, as the gate did: no findings', async () => {
    const replay = await root.post('/v1/audit/replay', {});
    expect(replay.json).toMatchObject({ findingsTotal: 0 });
    expect(replay.json.confirmedDenied).toBeGreaterThan(0);
  });
});
