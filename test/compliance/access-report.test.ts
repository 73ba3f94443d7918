import { SetPolicy } from '../../src/access/commands/set-policy/set-policy.use-case.js';
import type { ReportRow } from '../../src/compliance/access-report.js';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { assertBuilt, cliIn } from '../cli/run-cli.js';
import { startTestServer, type TestServer } from '../http/http-harness.js';
import { codeOf } from '../support/code-of.js';
import { dropSchema, freshSchemaName, testPostgresUrl, withSchema } from '../support/pg-test-db.js';
import { tempHome } from '../support/temp-home.js';
import { TestClock } from '../support/test-clock.js';

/** Access reports through the library on SQLite and PostgreSQL, then the CLI's table and HTTP's CSV. */
const quiet = createLogger({ silent: true });

const collect = async (rows: AsyncIterable<ReportRow>): Promise<ReportRow[]> => {
  const out: ReportRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
};

describe.each(['sqlite', 'postgres'] as const)('access reports (library, %s)', (backend) => {
  let home: string;
  let cleanup: () => void;
  let store: string | undefined;
  let schema: string | undefined;
  let base: string;
  let clock: TestClock;
  let manager: SecretManager;

  beforeEach(async () => {
    ({ home, cleanup } = tempHome('report'));
    clock = new TestClock('2026-01-01T00:00:00.000Z');
    if (backend === 'postgres') {
      base = await testPostgresUrl();
      schema = freshSchemaName();
      store = withSchema(base, schema);
    }
    manager = await SecretManager.open({ home, ...(store !== undefined && { store }), initialise: true, logger: quiet, actor: 'ops', clock, env: { STRONGROOM_LIFECYCLE_INTERVAL_MS: '0' } });
  });
  afterEach(async () => {
    await manager.close();
    if (schema) await dropSchema(base, schema);
    cleanup();
  });

  it('lists reads with principal, interface and rule, denials, per-secret readers, and unread secrets and unused tokens', async () => {
    await manager.storeSecret('payments/db', 'p');
    await manager.storeSecret('payments/api', 'a');
    await manager.storeSecret('web/session', 's');
    await manager.execute(SetPolicy, { name: 'payments', document: { rules: [{ allow: ['read'], secrets: ['payments/*'], environments: ['*'] }] } });
    const payments = await manager.createToken({ principal: 'payments-api', policies: ['payments'] });
    const idle = await manager.createToken({ principal: 'idle-job', policies: ['payments'] });
    clock.advanceDays(40);
    const asPayments = await SecretManager.open({ home, ...(store !== undefined && { store }), logger: quiet, clock, token: payments.token, env: { STRONGROOM_LIFECYCLE_INTERVAL_MS: '0' } });
    try {
      expect(await asPayments.getSecretByName('payments/db')).toBe('p');
      expect(await asPayments.getSecretByName('payments/db')).toBe('p');
      expect(await codeOf(asPayments.getSecretByName('web/session'))).toBe('ACCESS_DENIED');
    } finally {
      await asPayments.close();
    }
    await manager.getSecretByName('payments/db');

    const rows = await collect((await manager.accessReport({ unusedDays: 30 })).rows);
    const reads = rows.filter((r) => r.kind === 'read');
    expect(reads).toHaveLength(3);
    expect(reads[0]).toMatchObject({ principal: 'payments-api', interface: 'library', env: 'default', secret: 'payments/db', version: 1, rule: 'payments v1 #0', tokenId: payments.tokenId });
    expect(reads[2]).toMatchObject({ principal: 'ops', rule: 'root' });
    expect(rows.filter((r) => r.kind === 'denied')).toEqual([expect.objectContaining({ principal: 'payments-api', secret: 'web/session', capability: 'read' })]);
    expect(rows.find((r) => r.kind === 'secret' && r.secret === 'payments/db')).toMatchObject({ reads: 3, readers: 2, lastReader: 'ops', lastAccess: '2026-02-10T00:00:00.000Z' });
    expect(rows.filter((r) => r.kind === 'unread-secret').map((r) => r.secret).sort()).toEqual(['payments/api', 'web/session']);
    const unused = rows.filter((r) => r.kind === 'unused-token').map((r) => r.tokenId);
    expect(unused).toContain(idle.tokenId);
    expect(unused).not.toContain(payments.tokenId);

    // Filters: a principal, a pattern, a time window.
    expect((await collect((await manager.accessReport({ principal: 'ops' })).rows)).filter((r) => r.kind === 'read')).toHaveLength(1);
    expect((await collect((await manager.accessReport({ secret: 'web/**' })).rows)).map((r) => r.kind)).toEqual(['denied']);
    // A pattern reads only those secrets' access streams and the refusals, merged in log order.
    await manager.getSecretByName('payments/api');
    await manager.getSecretByName('payments/db');
    const paymentReads = (await collect((await manager.accessReport({ secret: 'payments/*' })).rows)).filter((r) => r.kind === 'read');
    expect(paymentReads.map((r) => r.secret)).toEqual(['payments/db', 'payments/db', 'payments/db', 'payments/api', 'payments/db']);
    const positions = paymentReads.map((r) => r.position as number);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const everything = (await collect((await manager.accessReport({})).rows)).filter((r) => r.kind === 'read' && r.secret?.startsWith('payments/'));
    expect(everything.map((r) => r.position)).toEqual(positions);
    expect(await collect((await manager.accessReport({ to: '2026-01-15T00:00:00Z' })).rows)).toEqual([]);
    expect(await codeOf(manager.accessReport({ from: 'last week' }))).toBe('INVALID_INPUT');
    expect(await codeOf(manager.accessReport({ secret: '***' }))).toBe('INVALID_INPUT');
    // Running a report is itself recorded (the six that ran; bad input records nothing).
    expect((await manager.getAuditTrail({ limit: 10_000 })).filter((e) => e.type === 'AuditTrailRead')).toHaveLength(6);
  });
});

describe('access reports from the CLI and over HTTP', () => {
  const { home, cleanup } = tempHome('cli-report');
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

  it('prints a table, JSON lines and CSV; refuses an unknown format', async () => {
    expect((await run(['add-secret', 'db/password'], { input: 'v' })).code).toBe(0);
    expect((await run(['get-secret', 'db/password'])).code).toBe(0);
    const table = await run(['audit', 'report', '--secret', 'db/*']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/ACCESSES[^\n]*\nAT\s+OUTCOME\s+PRINCIPAL[\s\S]*read\s+local:\S+\s+cli\s+default\s+db\/password\s+1\s+root/);
    // One table in log order, and its columns line up with the header (AT is exactly 24 characters wide).
    const lines = table.stdout.split('\n');
    const header = lines.find((l) => l.startsWith('AT ')) as string;
    const row = lines.find((l) => / read /.test(l)) as string;
    expect(row.indexOf(' read ') + 1).toBe(header.indexOf('OUTCOME'));
    expect(table.stdout.match(/^ACCESSES/gm)).toHaveLength(1);
    expect(table.stdout).toMatch(/PER SECRET[\s\S]*db\/password\s+1\s+1/);
    const json = (await run(['audit', 'report', '--format', 'json'])).stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as ReportRow);
    expect(json.map((r) => r.kind)).toEqual(['read', 'secret']);
    expect((await run(['audit', 'report', '--format', 'csv'])).stdout.split('\n')[0]).toMatch(/^kind,position,at,principal/);
    expect((await run(['audit', 'report', '--format', 'pdf'])).code).toBe(2);
  });

  it('GET /v1/audit/report streams CSV', async () => {
    const { client } = server;
    await client.post('/v1/envs/default/secrets', { name: 'db/password', value: 'v' });
    await client.get('/v1/envs/default/secrets/db%2Fpassword');
    const csv = await client.get('/v1/audit/report?format=csv&unusedDays=1');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = csv.text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^kind,/);
    expect(lines.filter((l) => l.startsWith('read,'))).toHaveLength(1);
    expect((await client.get('/v1/audit/report?format=xml')).status).toBe(400);
  });

  it('counts every failed authentication so far, not only those whose one-minute counting window has closed', async () => {
    const { client } = server;
    const stranger = client.as(`srt_${'7'.repeat(16)}_${'x'.repeat(43)}`);
    for (let i = 0; i < 4; i++) expect((await stranger.get('/v1/secrets')).status).toBe(401);
    const rows = (await client.get('/v1/audit/report?format=json')).text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as ReportRow)
      .filter((r) => r.kind === 'authn-failed' && r.tokenId === '7'.repeat(16));
    // The first failure is recorded at once (count 1), the three repeats as one counted event.
    expect(rows.map((r) => r.count)).toEqual([1, 3]);
    const exported = (await client.get('/v1/audit/export')).text;
    expect(exported.match(/"AuthenticationFailed"/g)?.length).toBeGreaterThanOrEqual(2);
  });
});
