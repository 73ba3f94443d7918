import { execFileSync } from 'node:child_process';
import { deleteStreams, natsConnect, NATS_URL, uniquePrefix } from '../bus/nats-harness.js';
import { serveHome, type TestServer } from '../http/http-harness.js';
import { growLog } from '../support/large-log.js';
import { tempHome } from '../support/temp-home.js';
import { assertBuilt, BIN, childEnv, runCli } from '../cli/run-cli.js';
import { StrongroomClient } from '../../src/client/index.js';
import { ExitCode } from '../../src/interfaces/cli/exit-codes.js';

/**
 * Streams past what one bus reply holds (a log grown by 10,050 access events): over HTTP the SDK's
 * accessReport and exportAuditLog read it all; over NATS the report is refused past 10,000 rows and
 * the export past the NATS server's max_payload, each at once with INVALID_INPUT naming the HTTP route
 * (not a request left to time out), and the remote CLI exits as for bad input with that message.
 */
const GROWN = 10_050;

describe('streamed results beyond one bus reply', () => {
  let scratch: { home: string; cleanup: () => void };
  let server: TestServer;
  let prefix: string;
  let token: string;

  const count = async (items: AsyncIterable<unknown>, keep: (item: unknown) => boolean = () => true): Promise<number> => {
    let n = 0;
    for await (const item of items) if (keep(item)) n++;
    return n;
  };

  beforeAll(async () => {
    assertBuilt();
    scratch = tempHome('stream-limits');
    execFileSync(process.execPath, [BIN, '--home', scratch.home, 'init', '--json'], { stdio: 'pipe', env: childEnv() });
    await growLog(scratch.home, GROWN);
    prefix = uniquePrefix();
    server = await serveHome(scratch.home, { STRONGROOM_NATS_URL: NATS_URL, STRONGROOM_NATS_PREFIX: prefix, STRONGROOM_LIFECYCLE_INTERVAL_MS: '0' });
    token = server.client.token;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    const nc = await natsConnect();
    await deleteStreams(nc, prefix);
    await nc.close();
    scratch?.cleanup();
  });

  it('over HTTP the SDK streams every row and line', async () => {
    const http = new StrongroomClient({ url: server.server.url, token });
    expect(await count(http.accessReport(), (row) => (row as { kind: string }).kind === 'read')).toBe(GROWN);
    expect(await count(http.exportAuditLog())).toBeGreaterThan(GROWN + 1);
    await http.close();
  }, 120_000);

  it('over NATS the report and the export are refused at once, naming the HTTP route', async () => {
    const bus = await StrongroomClient.connect({ url: NATS_URL, token, prefix, retry: { attempts: 1 } });
    try {
      await expect(count(bus.accessReport())).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('GET /v1/audit/report') });
      await expect(count(bus.exportAuditLog())).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/max_payload.*GET \/v1\/audit\/export/) });
    } finally {
      await bus.close();
    }
    const cli = await runCli(['--home', scratch.home, 'audit', 'report'], { env: { STRONGROOM_ADDR: NATS_URL, STRONGROOM_TOKEN: token, STRONGROOM_NATS_PREFIX: prefix } });
    expect(cli.code).toBe(ExitCode.BadInput);
    expect(cli.stderr).toContain('GET /v1/audit/report');
  }, 120_000);
});
