import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { deleteStreams, natsConnect, NATS_URL, uniquePrefix } from '../bus/nats-harness.js';
import { startTestServer, type TestServer } from '../http/http-harness.js';
import { tempHome } from '../support/temp-home.js';
import { StrongroomClient } from '../../src/client/index.js';
import { ExitCode, exitCodeOf } from '../../src/interfaces/cli/exit-codes.js';
import { ErrorCode, StrongroomError } from '../../src/shared/errors.js';
import { assertBuilt, runCli } from './run-cli.js';

/**
 * The CLI as a client of a running server: with STRONGROOM_ADDR (HTTP or NATS) and STRONGROOM_TOKEN
 * every verb goes to the server through the SDK, with a home that does not even exist (no store, no
 * master key); verbs that need the local store or key refuse clearly; the server's codes become the
 * same exit codes as local.
 */
describe('strongroom --addr', () => {
  let server: TestServer;
  let nowhere: string;
  let cleanup: () => void;
  let prefix: string;

  beforeAll(async () => {
    assertBuilt();
    prefix = uniquePrefix();
    server = await startTestServer({ STRONGROOM_NATS_URL: NATS_URL, STRONGROOM_NATS_PREFIX: prefix });
    const scratch = tempHome('remote-cli');
    cleanup = scratch.cleanup;
    nowhere = join(scratch.home, 'does-not-exist');
  });

  afterAll(async () => {
    await server?.stop();
    const nc = await natsConnect();
    await deleteStreams(nc, prefix);
    await nc.close();
    cleanup?.();
  });

  const remote = (addr: string, args: string[], input?: string) =>
    runCli(['--home', nowhere, ...args], { env: { STRONGROOM_ADDR: addr, STRONGROOM_TOKEN: server.client.token, STRONGROOM_NATS_PREFIX: prefix }, ...(input !== undefined && { input }) });

  it.each([
    ['HTTP', () => server.server.url],
    ['NATS', () => NATS_URL],
  ])('runs the secret verbs on the server over %s, never opening a local store', async (label, addr) => {
    const name = `remote/${label.toLowerCase()}`;
    const added = await remote(addr(), ['add-secret', name], 'first-value');
    expect({ code: added.code, stderr: added.stderr }).toEqual({ code: 0, stderr: '' });
    expect((await remote(addr(), ['get-secret', name])).stdout).toBe('first-value');
    expect(await remote(addr(), ['rotate-secret', name], 'second-value')).toMatchObject({ code: 0 });
    const read = await remote(addr(), ['--json', 'get-secret', name]);
    expect(JSON.parse(read.stdout)).toMatchObject({ name, version: 2, value: 'second-value' });
    const listed = JSON.parse((await remote(addr(), ['--json', 'list-secrets'])).stdout);
    expect(JSON.stringify(listed)).toContain(name);
    const exported = await remote(addr(), ['export', '--prefix', 'remote/', '--format', 'dotenv']);
    expect({ code: exported.code, stderr: exported.stderr }).toEqual({ code: 0, stderr: '' });
    expect(exported.stdout).toContain('second-value');
    // The events were recorded by the server, as the token's principal, through its interface.
    const events = await server.server.strongroom.runtime.store.readAll({});
    const stored = events.find((e) => e.type === 'SecretStored' && (e.data as { name: string }).name === name);
    expect(stored?.metadata).toMatchObject({ actor: 'root', interface: label === 'HTTP' ? 'http' : 'bus' });
    expect(existsSync(nowhere)).toBe(false);
  }, 90_000);

  it('maps the server’s codes to the usual exit codes and refuses local-only verbs', async () => {
    const addr = server.server.url;
    const missing = await remote(addr, ['get-secret', 'remote/none']);
    const local = await runCli(['--home', nowhere, 'get-secret', 'remote/none']);
    expect(missing.code).toBe(exitCodeOf(new StrongroomError(ErrorCode.SecretNotFound, 'x')));
    expect(missing.stderr).toMatch(/not found/);
    const badToken0 = await runCli(['--home', nowhere, 'list-secrets'], { env: { STRONGROOM_ADDR: addr, STRONGROOM_TOKEN: 'srt_nope' } });
    expect(badToken0.code).toBe(ExitCode.Unauthenticated);

    const init = await remote(addr, ['init']);
    expect(init.code).not.toBe(0);
    expect(init.stderr).toContain('local store only');
    const master = await remote(addr, ['rotate-master-key']);
    expect(master.stderr).toContain('local store only');
    const copy = await remote(addr, ['store', 'copy', '--to', 'sqlite:/tmp/strongroom-remote-never.db']);
    expect(copy.stderr).toContain('local store only');

    const noToken = await runCli(['--home', nowhere, 'list-secrets'], { env: { STRONGROOM_ADDR: addr } });
    expect(noToken.code).not.toBe(0);
    expect(noToken.stderr).toContain('STRONGROOM_TOKEN');
    const badToken = await runCli(['--home', nowhere, 'list-secrets'], { env: { STRONGROOM_ADDR: addr, STRONGROOM_TOKEN: 'srt_nope' } });
    expect(badToken.code).not.toBe(0);
    expect(badToken.stderr).not.toContain('srt_nope');
    expect(local.code).not.toBe(0); // and locally the home does not exist at all
    expect(existsSync(nowhere)).toBe(false);
  }, 60_000);

  it('answers the compliance verbs from the server (the streamed ones: cli-remote-audit.test.ts)', async () => {
    const addr = server.server.url;
    expect((await remote(addr, ['add-secret', 'remote/audited'], 'audited-value')).code).toBe(0);
    const state = await remote(addr, ['--json', 'state', '--at', '1']);
    expect({ code: state.code, stderr: state.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(state.stdout)).toMatchObject({ position: 1 });
    const signed = await remote(addr, ['--json', 'audit', 'sign']);
    expect(JSON.parse(signed.stdout)).toMatchObject({ signed: true });
    // `call` reads the streamed use cases whole (JSON lines as an array); accessReport / exportAuditLog stream them.
    const sdk = new StrongroomClient({ url: addr, token: server.client.token });
    try {
      const rows = (await sdk.call('GetAccessReport', { secret: 'remote/*' })) as unknown[];
      expect(Array.isArray(rows)).toBe(true);
      const exported = (await sdk.call('ExportAuditLog', {})) as Record<string, unknown>[];
      expect(exported[0]).toMatchObject({ format: 'strongroom-audit-export' });
      expect(JSON.stringify(exported)).not.toContain('audited-value');
      await expect(sdk.call('ExportAuditLog', { follow: true })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    } finally {
      await sdk.close();
    }
    expect(existsSync(nowhere)).toBe(false);
  }, 120_000);
});
