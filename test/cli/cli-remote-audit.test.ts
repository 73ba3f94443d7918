import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deleteStreams, natsConnect, NATS_URL, uniquePrefix } from '../bus/nats-harness.js';
import { startTestServer, type TestServer } from '../http/http-harness.js';
import { tempHome } from '../support/temp-home.js';
import { StrongroomClient } from '../../src/client/index.js';
import { ExitCode } from '../../src/interfaces/cli/exit-codes.js';
import { assertBuilt, BIN, childEnv, runCli, type CliRun } from './run-cli.js';

/**
 * `audit report` and `audit export` over --addr: the server's report rows and export lines stream to the
 * CLI through the SDK (HTTP: read as they arrive; NATS: the bus's one reply) and come out exactly as a
 * local run on the same store prints them, in every format; a remote export verifies with the public key
 * alone (its bytes are the server's); `--follow` streams over HTTP and is refused over NATS by name.
 */
describe('strongroom --addr audit report / export', () => {
  let server: TestServer;
  let scratch: { home: string; cleanup: () => void };
  let nowhere: string;
  let prefix: string;
  /** The log head once the accesses below are recorded: reports stop there, so later runs add nothing. */
  let head: number;

  beforeAll(async () => {
    assertBuilt();
    prefix = uniquePrefix();
    server = await startTestServer({ STRONGROOM_NATS_URL: NATS_URL, STRONGROOM_NATS_PREFIX: prefix, STRONGROOM_LIFECYCLE_INTERVAL_MS: '0' });
    scratch = tempHome('remote-audit');
    nowhere = join(scratch.home, 'does-not-exist');
    // Reads, a denial and a failed authentication, so every kind of row is in the report.
    const root = new StrongroomClient({ url: server.server.url, token: server.client.token });
    await root.storeSecret('pay/db', 'db-value');
    await root.storeSecret('pay/api', 'api-value');
    await root.storeSecret('ops/unread', 'never-read');
    await root.getSecretByName('pay/db');
    await root.getSecretByName('pay/db');
    await root.getSecretByName('pay/api');
    await root.setPolicy('pay-db-only', { rules: [{ allow: ['read'], secrets: ['pay/db'] }] });
    const narrow = await root.createToken({ principal: 'billing', policies: ['pay-db-only'] });
    const billing = new StrongroomClient({ url: server.server.url, token: narrow.token });
    await billing.getSecretByName('pay/db');
    await expect(billing.getSecretByName('pay/api')).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    await expect(new StrongroomClient({ url: server.server.url, token: 'srt_wrong', retry: { attempts: 1 } }).listSecrets()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    head = (await root.getAuditTrail({ limit: 100_000 })).reduce((max, e) => Math.max(max, e.position), 0);
    await root.close();
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    const nc = await natsConnect();
    await deleteStreams(nc, prefix);
    await nc.close();
    scratch?.cleanup();
  });

  const remote = (addr: string, args: string[]): Promise<CliRun> =>
    runCli(['--home', nowhere, ...args], { env: { STRONGROOM_ADDR: addr, STRONGROOM_TOKEN: server.client.token, STRONGROOM_NATS_PREFIX: prefix } });
  const local = (args: string[]): Promise<CliRun> => runCli(['--home', server.home, ...args]);
  const transports: [string, () => string][] = [
    ['HTTP', () => server.server.url],
    ['NATS', () => NATS_URL],
  ];

  it.each(['table', 'json', 'csv'])('prints the same %s report remotely (HTTP and NATS) as locally', async (format) => {
    const args = ['audit', 'report', '--to', String(head), '--unused-days', '1', '--format', format];
    const here = await local(args);
    expect({ code: here.code, stderr: here.stderr }).toEqual({ code: 0, stderr: '' });
    // Every kind of row is there, so the comparison covers each table and column.
    const expected = format === 'table' ? ['ACCESSES', 'denied', 'authn', 'PER SECRET', 'billing'] : ['"denied"', 'authn-failed', '"secret"', 'billing'];
    for (const text of expected) expect(here.stdout).toContain(format === 'csv' ? text.replaceAll('"', '') : text);
    for (const [label, addr] of transports) {
      const there = await remote(addr(), args);
      expect({ label, code: there.code, stderr: there.stderr }).toEqual({ label, code: 0, stderr: '' });
      expect({ label, stdout: there.stdout }).toEqual({ label, stdout: here.stdout });
    }
    expect(existsSync(nowhere)).toBe(false);
  }, 120_000);

  it('applies the report filters remotely as locally (--secret, --principal, --from, --json)', async () => {
    const args = ['--json', 'audit', 'report', '--secret', 'pay/*', '--principal', 'billing', '--from', '1', '--to', String(head)];
    const here = await local(args);
    expect(here.code).toBe(0);
    const rows = here.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { kind: string; principal?: string });
    expect(rows.filter((r) => r.kind === 'read' || r.kind === 'denied').map((r) => [r.kind, r.principal])).toEqual([
      ['read', 'billing'],
      ['denied', 'billing'],
    ]);
    for (const [, addr] of transports) expect((await remote(addr(), args)).stdout).toBe(here.stdout);
  }, 60_000);

  it('exports the same lines remotely as locally, byte for byte: a remote export verifies with the public key alone', async () => {
    for (const [label, addr] of transports) {
      const there = await remote(addr(), ['audit', 'export']);
      expect({ label, code: there.code, stderr: there.stderr }).toEqual({ label, code: 0, stderr: '' });
      const here = await local(['audit', 'export']);
      // The log only grows (an export records its own read): the earlier remote export is a prefix of the later local one.
      const lines = there.stdout.split('\n');
      expect(lines.length).toBeGreaterThan(10);
      expect(here.stdout.startsWith(there.stdout)).toBe(true);
      expect(there.stdout).not.toMatch(/db-value|api-value|never-read/);
    }
    const dir = join(scratch.home, 'remote-export');
    // A signed checkpoint is what an auditor verifies against (an export no checkpoint covers fails as unsigned).
    expect((await remote(server.server.url, ['audit', 'sign'])).code).toBe(0);
    const written = await remote(server.server.url, ['audit', 'export', '--out', dir]);
    expect({ code: written.code, stderr: written.stderr }).toEqual({ code: 0, stderr: expect.stringContaining('Exported to') });
    const keyFile = join(scratch.home, 'strongroom.pub');
    // The operator hands the auditor the public key (read from the server's home: a local-only verb).
    writeFileSync(keyFile, (await local(['audit', 'public-key'])).stdout);
    const verified = await runCli(['--home', nowhere, 'audit', 'verify', '--export', dir, '--public-key', keyFile]);
    expect({ code: verified.code, stdout: verified.stdout }).toEqual({ code: 0, stdout: expect.stringMatching(/Export verified with key [0-9a-f]{16}: \d+ events/) });
    expect(readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n')[0]).toMatch(/"format":"strongroom-audit-export"/);
  }, 120_000);

  it('--follow streams newly committed events over HTTP, and is refused over NATS by name', async () => {
    const child = spawn(process.execPath, [BIN, '--home', nowhere, 'audit', 'export', '--follow'], {
      env: childEnv({ STRONGROOM_ADDR: server.server.url, STRONGROOM_TOKEN: server.client.token }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const waitFor = async (pattern: RegExp): Promise<void> => {
      while (!pattern.test(out) && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(out).toMatch(pattern);
    };
    try {
      await waitFor(/AuditTrailRead/);
      const root = new StrongroomClient({ url: server.server.url, token: server.client.token });
      await root.storeSecret('pay/followed', 'followed-value');
      await root.close();
      await waitFor(/"name":"pay\/followed"/);
      expect(out).not.toContain('followed-value');
    } finally {
      child.kill('SIGTERM');
    }
    const refused = await remote(NATS_URL, ['audit', 'export', '--follow']);
    expect(refused.code).toBe(ExitCode.BadInput);
    expect(refused.stderr).toMatch(/follow/);
  }, 90_000);
});
