import { randomUUID } from 'node:crypto';
import type { ApiClient, TestServer } from './http-harness.js';
import { startTestServer } from './http-harness.js';

/**
 * Who may do what, over real HTTP: tokens stored as digests, policies as events, environments with
 * their own keys, every allow and deny in the log with the rule that decided it. The tests share one
 * server and build on each other, in order.
 */
const PROD_DB = `prod-db-${randomUUID()}`;
const ADMIN_PW = `admin-pw-${randomUUID()}`;
const DEFAULT_DB = `default-db-${randomUUID()}`;

describe('access control over HTTP', () => {
  let t: TestServer;
  let root: ApiClient;
  let payments: ApiClient;
  let paymentsTokenId: string;
  let now = Date.parse('2026-12-01T00:00:00Z');

  beforeAll(async () => {
    // This suite sends floods of bad tokens from one address on purpose; the limiter has its own test.
    t = await startTestServer({ STRONGROOM_AUTH_FAILURES_PER_MINUTE: '100000' }, { now: () => new Date(now) });
    root = t.client;
  });
  afterAll(() => t.stop());

  it('the root token is a prefixed token that secret scanners can recognise', () => {
    expect(root.token).toMatch(/^srt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  });

  it('root creates an environment with its own data key and stores secrets in it', async () => {
    const env = await root.post('/v1/envs', { env: 'prod' });
    expect(env.status).toBe(201);
    expect((await root.post('/v1/envs', { env: 'prod' })).json.error.code).toBe('ALREADY_EXISTS');
    expect((await root.post('/v1/envs/prod/secrets', { name: 'payments/db', value: PROD_DB })).status).toBe(201);
    expect((await root.post('/v1/envs/prod/secrets', { name: 'payments/admin/root-pw', value: ADMIN_PW })).status).toBe(201);
    expect((await root.post('/v1/envs/prod/secrets', { name: 'billing/db', value: 'b' })).status).toBe(201);
    // Names are unique per environment: the same name in `default` is another secret.
    expect((await root.post('/v1/secrets', { name: 'payments/db', value: DEFAULT_DB })).status).toBe(201);
    const prod = (await root.get('/v1/envs/prod/secrets')).json.secrets;
    const dflt = (await root.get('/v1/secrets')).json.secrets;
    expect(prod.find((s: { name: string }) => s.name === 'payments/db').keyId).toBe(env.json.keyId);
    expect(dflt[0].keyId).not.toBe(env.json.keyId);
    expect((await root.get('/v1/envs/prod/secrets/payments/db')).json.value).toBe(PROD_DB);
    expect((await root.get('/v1/secrets/payments/db')).json.value).toBe(DEFAULT_DB);
    // An id only finds its own environment's secret.
    const prodId = prod.find((s: { name: string }) => s.name === 'payments/db').id;
    expect((await root.get(`/v1/secrets/${prodId}`)).status).toBe(404);
    expect((await root.get('/v1/envs/staging/secrets/x')).status).toBe(404);
    expect((await root.post('/v1/envs/staging/secrets', { name: 'x', value: 'y' })).json.error.code).toBe('ENVIRONMENT_NOT_FOUND');
  });

  it('root sets a policy and creates a read-only token for one service in prod; the token is shown once', async () => {
    const policy = await root.put('/v1/policies/payments-read', {
      document: {
        rules: [
          { allow: ['read', 'list', 'describe'], secrets: ['payments/**'], environments: ['prod'] },
          { deny: ['read'], secrets: ['payments/admin/*'] },
        ],
      },
    });
    expect(policy.status).toBe(200);
    expect(policy.json).toMatchObject({ name: 'payments-read', version: 1, changed: true });
    const created = await root.post('/v1/tokens', { principal: 'payments-api', policies: ['payments-read'], ttl: '90d' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ principal: 'payments-api', policies: ['payments-read'], root: false, expiresAt: '2027-03-01T00:00:00.000Z' });
    expect(created.json.token).toMatch(/^srt_[0-9a-f]{16}_/);
    paymentsTokenId = created.json.tokenId;
    payments = root.as(created.json.token);
    const listed = await root.get('/v1/tokens');
    expect(listed.text).not.toContain(created.json.token);
    expect(listed.text).not.toMatch(/tokenHash|[0-9a-f]{64}/);
    expect(listed.json.tokens.find((x: { tokenId: string }) => x.tokenId === paymentsTokenId)).toMatchObject({ principal: 'payments-api', status: 'active' });
  });

  it('the service reads what its policy allows; the read names the rule that allowed it', async () => {
    const read = await payments.get('/v1/envs/prod/secrets/payments/db');
    expect(read.status).toBe(200);
    expect(read.json.value).toBe(PROD_DB);
    const trail = await root.get('/v1/audit?env=prod&secret=payments/db');
    const access = trail.json.entries.find((e: { position: number }) => e.position === read.json.accessPosition);
    expect(access).toMatchObject({ type: 'SecretAccessed', actor: 'payments-api', actorKind: 'service', tokenId: paymentsTokenId, interface: 'http', env: 'prod' });
    const raw = (await root.get(`/v1/audit?from=${read.json.accessPosition - 1}&limit=1`)).json.entries[0];
    expect(raw.position).toBe(read.json.accessPosition);
  });

  it('everything else is denied (403), recorded with the reason, and tells nothing about other secrets', async () => {
    const denials: [string, number][] = [];
    for (const path of ['/v1/secrets/payments/db', '/v1/envs/prod/secrets/payments/admin/root-pw', '/v1/envs/prod/secrets/billing/db']) {
      const res = await payments.get(path);
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('ACCESS_DENIED');
      expect(res.text).not.toMatch(new RegExp(`${PROD_DB}|${ADMIN_PW}|${DEFAULT_DB}`));
      denials.push([path, res.status]);
    }
    expect((await payments.put('/v1/envs/prod/secrets/payments/db', { value: 'overwrite' })).status).toBe(403);
    expect((await payments.get('/v1/tokens')).status).toBe(403);
    expect((await payments.get('/v1/audit')).status).toBe(403);
    // A denied caller cannot tell an unknown id from a hidden one.
    expect((await payments.get(`/v1/envs/prod/secrets/${'0'.repeat(32)}`)).status).toBe(403);
    const log = (await root.get('/v1/audit?limit=10000')).json.entries;
    const denied = log.filter((e: { type: string; actor: string }) => e.type === 'AccessDenied' && e.actor === 'payments-api');
    expect(denied.length).toBeGreaterThanOrEqual(denials.length + 4);
    expect(denied.every((e: { tokenId: string }) => e.tokenId === paymentsTokenId)).toBe(true);
  });

  it('listing shows only what the policy lets it list', async () => {
    const list = await payments.get('/v1/envs/prod/secrets');
    expect(list.status).toBe(200);
    expect(list.json.secrets.map((s: { name: string }) => s.name).sort()).toEqual(['payments/admin/root-pw', 'payments/db']);
    expect((await payments.get('/v1/secrets')).status).toBe(403);
    expect((await payments.get('/v1/envs')).json.environments.map((e: { env: string }) => e.env)).toEqual(['prod']);
  });

  it('no principal can create a token or policy granting more than it holds', async () => {
    expect(
      (await root.put('/v1/policies/token-admin', { document: { rules: [{ allow: ['admin'], environments: ['*'] }, { allow: ['read'], secrets: ['payments/*'], environments: ['prod'] }] } })).status,
    ).toBe(200);
    const admin = root.as((await root.post('/v1/tokens', { principal: 'ops', policies: ['token-admin'] })).json.token);
    // It may hand out what it holds ...
    expect((await admin.put('/v1/policies/narrow', { document: { rules: [{ allow: ['read'], secrets: ['payments/db'], environments: ['prod'] }] } })).status).toBe(200);
    expect((await admin.post('/v1/tokens', { principal: 'narrow-svc', policies: ['narrow'] })).status).toBe(201);
    // ... but not more, and never root.
    const wider = await admin.put('/v1/policies/wider', { document: { rules: [{ allow: ['read'], secrets: ['**'], environments: ['prod'] }] } });
    expect(wider.status).toBe(403);
    expect(wider.json.error.message).toMatch(/do not hold/);
    expect((await admin.post('/v1/tokens', { principal: 'sneaky', policies: ['payments-read'] })).status).toBe(403);
    expect((await admin.post('/v1/tokens', { principal: 'sneaky', root: true })).status).toBe(403);
  });

  it('a bad token is 401 and recorded, and a flood of them costs the log two events, not hundreds', async () => {
    const before = (await root.get('/v1/audit?limit=10000')).json.entries.filter((e: { type: string }) => e.type === 'AuthenticationFailed').length;
    for (let i = 0; i < 50; i++) {
      const res = await root.as(`srt_0123456789abcdef_${'x'.repeat(43)}`).get('/v1/secrets');
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('UNAUTHENTICATED');
    }
    expect((await root.as('garbage').get('/v1/secrets')).status).toBe(401);
    const after = (await root.get('/v1/audit?limit=10000')).json.entries.filter((e: { type: string }) => e.type === 'AuthenticationFailed');
    // One event for the first unknown token and one for the first malformed one; the rest are counted.
    expect(after.length - before).toBe(2);
  });

  it('revocation: the token gets 401 from the revocation on, with the reason', async () => {
    expect((await payments.get('/v1/envs/prod/secrets/payments/db')).status).toBe(200);
    const revoked = await root.delete(`/v1/tokens/${paymentsTokenId}?reason=rotated-out`);
    expect(revoked.status).toBe(200);
    const res = await payments.get('/v1/envs/prod/secrets/payments/db');
    expect(res.status).toBe(401);
    expect(res.json.error.message).toMatch(/revoked/);
    expect((await root.get('/v1/tokens')).json.tokens.map((x: { tokenId: string }) => x.tokenId)).not.toContain(paymentsTokenId);
    expect((await root.get('/v1/tokens?includeRevoked=true')).json.tokens.find((x: { tokenId: string }) => x.tokenId === paymentsTokenId).status).toBe('revoked');
  });

  it('expiry follows the clock; rotating a token replaces its secret at once', async () => {
    const short = await root.post('/v1/tokens', { principal: 'short-lived', policies: ['narrow'], ttl: '1h' });
    const client = root.as(short.json.token);
    expect((await client.get('/v1/envs/prod/secrets/payments/db')).status).toBe(200);
    now += 2 * 3_600_000;
    const expired = await client.get('/v1/envs/prod/secrets/payments/db');
    expect(expired.status).toBe(401);
    expect(expired.json.error.message).toMatch(/expired/);
    const rotated = await root.post(`/v1/tokens/${short.json.tokenId}/rotate`, { ttl: '1h' });
    expect(rotated.status).toBe(200);
    expect(rotated.json.tokenId).toBe(short.json.tokenId);
    expect((await root.as(rotated.json.token).get('/v1/envs/prod/secrets/payments/db')).status).toBe(200);
    const old = await client.get('/v1/envs/prod/secrets/payments/db');
    expect(old.status).toBe(401);
    // The old token of a rotated id is told it was rotated, not sent looking for a lagging replica.
    expect(old.json.error.message).toMatch(/rotated, use the new token/);
  });

  it('a policy change applies to every token holding it, and its history is kept', async () => {
    const svc = root.as((await root.post('/v1/tokens', { principal: 'reader', policies: ['payments-read'] })).json.token);
    expect((await svc.get('/v1/envs/prod/secrets/payments/db')).status).toBe(200);
    await root.put('/v1/policies/payments-read', { document: { rules: [{ deny: ['read'], secrets: ['**'] }] } });
    expect((await svc.get('/v1/envs/prod/secrets/payments/db')).status).toBe(403);
    const history = await root.get('/v1/policies/payments-read');
    expect(history.json.history.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(history.json.history[0].document.rules[0]).toEqual({ allow: ['read', 'list', 'describe'], secrets: ['payments/**'], environments: ['prod'] });
    expect((await root.get('/v1/policies/payments-read?version=1')).json.current.version).toBe(1);
  });

  it('no response or log line ever held a token or a value it should not', () => {
    const logs = t.logs.join('\n');
    for (const secret of [PROD_DB, ADMIN_PW, DEFAULT_DB, root.token, payments.token]) expect(logs).not.toContain(secret);
  });
});

describe('upgrading a home made before tokens had principals', () => {
  it("an existing home's api-token (old format) keeps working as root, and can then be revoked like any token", async () => {
    const { tempHome } = await import('../support/temp-home.js');
    const { writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { randomBytes } = await import('node:crypto');
    const { resolveOptions } = await import('../../src/config/options.js');
    const { Strongroom } = await import('../../src/bootstrap/strongroom.js');
    const { createLogger } = await import('../../src/shared/logger.js');
    const { serveHome } = await import('./http-harness.js');
    const { home, cleanup } = tempHome('legacy');
    try {
      const s = await Strongroom.open(resolveOptions({ env: {}, home }), { initialiseIfEmpty: true, interface: 'cli', logger: createLogger({ silent: true }) });
      await s.close();
      // What an older Strongroom left in the home: 32 random bytes, base64url, no prefix.
      const legacy = randomBytes(32).toString('base64url');
      rmSync(join(home, 'api-token'));
      writeFileSync(join(home, 'api-token'), legacy + '\n', { mode: 0o600 });
      const server = await serveHome(home);
      try {
        expect(server.client.token).toBe(legacy);
        expect((await server.client.post('/v1/secrets', { name: 'still/works', value: 'v' })).status).toBe(201);
        const tokens = (await server.client.get('/v1/tokens')).json.tokens;
        const registered = tokens.find((t: { legacy: boolean }) => t.legacy);
        expect(registered).toMatchObject({ principal: 'root', root: true, status: 'active' });
        expect((await server.client.delete(`/v1/tokens/${registered.tokenId}`)).status).toBe(200);
        expect((await server.client.get('/v1/secrets')).status).toBe(401);
      } finally {
        await server.stop();
      }
      // A revoked token in the file is never registered again.
      const again = await serveHome(home);
      try {
        expect((await again.client.get('/v1/secrets')).status).toBe(401);
      } finally {
        await again.stop();
      }
    } finally {
      cleanup();
    }
  });
});
