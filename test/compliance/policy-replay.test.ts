import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SetPolicy } from '../../src/access/commands/set-policy/set-policy.use-case.js';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { assertBuilt, cliIn, parseJson } from '../cli/run-cli.js';
import { startTestServer, type TestServer } from '../http/http-harness.js';
import { codeOf } from '../support/code-of.js';
import { dropSchema, freshSchemaName, testPostgresUrl, withClient, withSchema } from '../support/pg-test-db.js';
import { tempHome } from '../support/temp-home.js';

/**
 * Policy replay on SQLite and PostgreSQL: an honest log has no findings even after a policy was
 * narrowed (each read is judged by the policy of its time); the what-if names the reads today's policy
 * would refuse, grouped by principal and secret; a read forged into the store with SQL is found.
 */
const quiet = createLogger({ silent: true });
const allow = (secrets: string[]) => ({ rules: [{ allow: ['read', 'list'], secrets, environments: ['*'] }] });

describe.each(['sqlite', 'postgres'] as const)('policy replay (library, %s)', (backend) => {
  let home: string;
  let cleanup: () => void;
  let store: string | undefined;
  let schema: string | undefined;
  let base: string;
  let manager: SecretManager;
  const open = (token?: string): Promise<SecretManager> =>
    SecretManager.open({ home, ...(store !== undefined && { store }), initialise: true, logger: quiet, actor: 'ops', ...(token && { token }), env: { STRONGROOM_LIFECYCLE_INTERVAL_MS: '0' } });

  beforeEach(async () => {
    ({ home, cleanup } = tempHome('replay'));
    if (backend === 'postgres') {
      base = await testPostgresUrl();
      schema = freshSchemaName();
      store = withSchema(base, schema);
    }
    manager = await open();
  });
  afterEach(async () => {
    await manager.close();
    if (schema) await dropSchema(base, schema);
    cleanup();
  });

  it('finds nothing on an honest log, judges each read by the policy of its time, and what-ifs the current and a proposed policy', async () => {
    await manager.storeSecret('payments/db', 'p');
    await manager.storeSecret('web/session', 's');
    await manager.execute(SetPolicy, { name: 'app', document: allow(['payments/*', 'web/*']) });
    const app = await manager.createToken({ principal: 'app', policies: ['app'] });
    const asApp = await open(app.token);
    try {
      await asApp.getSecretByName('payments/db');
      await asApp.getSecretByName('web/session');
      await asApp.getSecretByName('web/session');
      const narrowed = await manager.execute(SetPolicy, { name: 'app', document: allow(['payments/*']) });
      // Another process narrowed the policy. On SQLite the gate catches up before it decides; a replica
      // of PostgreSQL follows the feed, so wait until it has applied the change (read-your-writes).
      if (backend === 'postgres') await asApp.listSecrets({ minPosition: narrowed.position });
      expect(await codeOf(asApp.getSecretByName('web/session'))).toBe('ACCESS_DENIED');
      if (backend === 'sqlite') await asApp.listSecrets();
    } finally {
      await asApp.close();
    }

    // A window that ends before it starts is a mistake, not an empty (and "honest") answer.
    expect(await codeOf(manager.replayPolicies({ from: 10, to: 5 }))).toBe('INVALID_INPUT');
    expect(await codeOf(manager.accessReport({ from: '2026-06-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }))).toBe('INVALID_INPUT');
    const honest = await manager.replayPolicies();
    expect(honest).toMatchObject({ findingsTotal: 0, findings: [], confirmedDenied: 1 });
    expect(honest.confirmedAllowed).toBeGreaterThanOrEqual(8); // stores, policy, token, three reads, listing
    expect(honest.notChecked).not.toHaveProperty('SecretAccessed');

    const current = await manager.replayPolicies({ against: 'current' });
    expect(current.whatIf).toMatchObject({ against: 'current', wouldDeny: 2, groups: [expect.objectContaining({ principal: 'app', env: 'default', secret: 'web/session', capability: 'read', count: 2 })] });
    const proposed = await manager.replayPolicies({ against: { policy: 'app', document: allow(['nothing/*']) } });
    expect(proposed.whatIf?.groups.map((g) => [g.secret, g.capability, g.count])).toEqual(
      expect.arrayContaining([
        ['web/session', 'read', 2],
        ['payments/db', 'read', 1],
      ]),
    );
    expect(proposed.whatIf?.warnings).toEqual([]);
    expect(await codeOf(manager.replayPolicies({ against: { policy: 'app', document: { rules: 'no' } } }))).toBe('INVALID_INPUT');
    // A typo in the policy name replaced nothing and reported "0 would be refused"; one in an environment granted nothing, silently.
    const unknown = await manager.replayPolicies({ against: { policy: 'nosuch', document: allow(['web/*']) } });
    expect(unknown.whatIf).toMatchObject({ warnings: [expect.stringMatching(/^policy "nosuch" is not in the log \(it has app\): no token holds it/)] });
    const typo = await manager.replayPolicies({ against: { policy: 'app', document: { rules: [{ allow: ['read'], secrets: ['**'], environments: ['prdo', 'default'] }] } } });
    expect(typo.whatIf?.warnings).toEqual([expect.stringMatching(/^environment "prdo" \(rule 0\) matches no environment the log has \(default\)/)]);
    // A window: only the narrowed policy's time.
    const late = await manager.replayPolicies({ from: honest.head - 3 });
    expect(late.checked).toBeLessThan(honest.checked);
  });

  it('finds a read forged into the store that the policy of its time did not allow', async () => {
    await manager.storeSecret('payments/db', 'p');
    await manager.storeSecret('web/session', 's');
    await manager.execute(SetPolicy, { name: 'app', document: allow(['payments/*']) });
    const app = await manager.createToken({ principal: 'app', policies: ['app'] });
    const asApp = await open(app.token);
    await asApp.getSecretByName('payments/db');
    await asApp.close();
    const read = (await manager.getAuditTrail({ limit: 10_000 })).find((e) => e.type === 'SecretAccessed');
    const web = (await manager.listSecrets()).find((s) => s.name === 'web/session');
    await manager.close();
    // The forgery: a copy of app's read, pointed at web/session, appended as the next row.
    const forge = (events: string) =>
      `INSERT INTO ${events} (position, stream, category, revision, type, schema_version, data, metadata, digest, hash)
       SELECT (SELECT max(position) FROM ${events}) + 1, 'access-${web?.id}', category, 0, type, schema_version,
              replace(replace(data, '${read?.secretId}', '${web?.id}'), 'payments/db', 'web/session'), metadata, digest, hash
       FROM ${events} WHERE position = ${read?.position}`;
    if (backend === 'sqlite') {
      const db = new Database(join(home, 'strongroom.db'));
      db.prepare(forge('events')).run();
      db.close();
    } else {
      await withClient(base, (client) => client.query(forge(`"${schema}".events`)));
    }
    manager = await open();
    const result = await manager.replayPolicies();
    expect(result.findingsTotal).toBe(1);
    expect(result.findings[0]).toMatchObject({ kind: 'not-allowed', principal: 'app', secret: 'web/session', capability: 'read', type: 'SecretAccessed' });
  });
});

describe('policy replay from the CLI and over HTTP', () => {
  const { home, cleanup } = tempHome('cli-replay');
  const { run } = cliIn(home);
  let server: TestServer;
  beforeAll(async () => {
    assertBuilt();
    expect((await run(['init'])).code).toBe(0);
    server = await startTestServer({ STRONGROOM_LIFECYCLE_INTERVAL_MS: '0' });
  });
  afterAll(async () => {
    await server.stop();
    cleanup();
  });

  it('says "none" with counts, what-ifs a proposed file, and refuses --against FILE without --policy', async () => {
    expect((await run(['add-secret', 'db/password'], { input: 'v' })).code).toBe(0);
    writeFileSync(join(home, 'app.yaml'), 'rules:\n  - allow: [read]\n    secrets: ["db/*"]\n    environments: ["*"]\n');
    expect((await run(['policy', 'set', 'app', join(home, 'app.yaml')])).code).toBe(0);
    const replay = await run(['audit', 'replay']);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/Findings: none/);
    const json = parseJson<{ findingsTotal: number; checked: number }>(await run(['audit', 'replay', '--json']));
    expect(json.findingsTotal).toBe(0);
    expect(json.checked).toBeGreaterThan(0);
    const whatIf = await run(['audit', 'replay', '--against', join(home, 'app.yaml'), '--policy', 'app']);
    expect(whatIf.stdout).toMatch(/What-if against proposed app \(version 2\): 0 past allowed actions/);
    expect((await run(['audit', 'replay', '--against', join(home, 'app.yaml')])).code).toBe(2);
    const typo = await run(['audit', 'replay', '--against', join(home, 'app.yaml'), '--policy', 'nosuch']);
    // A policy the log does not have: a new one (the console asks before saving it) or a typo; either way said.
    expect(typo.code).toBe(0);
    expect(typo.stdout).toMatch(/Warning: policy "nosuch" is not in the log \(it has app\): no token holds it/);
    writeFileSync(join(home, 'prdo.yaml'), 'rules:\n  - allow: [read]\n    secrets: ["db/*"]\n    environments: [prdo]\n');
    const env = await run(['audit', 'replay', '--against', join(home, 'prdo.yaml'), '--policy', 'app']);
    expect(env.stdout).toMatch(/Warning: environment "prdo" \(rule 0\) matches no environment the log has \(default\)/);
  });

  it('POST /v1/audit/replay', async () => {
    const res = await server.client.post('/v1/audit/replay', { against: 'current' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ findingsTotal: 0, whatIf: { against: 'current', wouldDeny: 0 } });
    expect((await server.client.post('/v1/audit/replay', { against: 'tomorrow' })).status).toBe(400);
    const rules = [{ allow: ['read'], environments: ['prdo'] }];
    expect((await server.client.post('/v1/audit/replay', { against: { policy: 'nosuch', document: { rules } } })).json.whatIf.warnings).toEqual([expect.stringContaining('policy "nosuch" is not in the log'), expect.stringContaining('environment "prdo"')]);
    expect((await server.client.put('/v1/policies/app', { document: { rules: [{ allow: ['read'] }] } })).status).toBe(200);
    const warned = await server.client.post('/v1/audit/replay', { against: { policy: 'app', document: { rules } } });
    expect(warned.json.whatIf.warnings).toEqual([expect.stringContaining('environment "prdo"')]);
  });
});
