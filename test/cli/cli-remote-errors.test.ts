import { createServer } from 'node:net';
import { join } from 'node:path';
import { StrongroomClient, isClientError } from '../../src/client/index.js';
import { redactUrl } from '../../src/shared/redact-url.js';
import { startTestServer, type TestServer } from '../http/http-harness.js';
import { tempHome } from '../support/temp-home.js';
import { assertBuilt, runCli } from './run-cli.js';

/**
 * `--addr` failures as a tester met them: an unknown scheme was an "unexpected error" (exit 1); an
 * unreachable NATS server was exit 1 where HTTP was exit 5; an http URL with user:password@ was echoed
 * whole, password included. Now: INVALID_INPUT exit 2 in the CLI's words, STORE_UNAVAILABLE exit 5 for
 * both transports, and no credential in any message (real child processes, a real server, a closed port).
 */
describe('strongroom --addr: errors', () => {
  const TOKEN = 'sr_tok_SECRET0123456789';
  let server: TestServer;
  let nowhere: string;
  let cleanup: () => void;
  let closedPort: number;

  beforeAll(async () => {
    assertBuilt();
    server = await startTestServer();
    const scratch = tempHome('remote-errors');
    cleanup = scratch.cleanup;
    nowhere = join(scratch.home, 'does-not-exist');
    // A port that was free a moment ago and has nothing listening now.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
  });

  afterAll(async () => {
    await server?.stop();
    cleanup?.();
  });

  const remote = (addr: string, args: string[], token = TOKEN) => runCli(['--home', nowhere, '--addr', addr, ...args], { env: { STRONGROOM_TOKEN: token } });

  it('refuses an address that is neither http(s):// nor nats:// as INVALID_INPUT, exit 2', async () => {
    const run = await remote('ftp://x', ['list-secrets']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('strongroom: --addr / STRONGROOM_ADDR must be an http://, https:// or nats:// URL, not "ftp://x" (INVALID_INPUT)\n');
    const json = await remote('ftp://x', ['--json', 'list-secrets']);
    expect(JSON.parse(json.stdout).error.code).toBe('INVALID_INPUT');
  });

  it('says STORE_UNAVAILABLE, exit 5, when nobody answers, over HTTP and NATS alike', async () => {
    const http = await remote(`http://127.0.0.1:${closedPort}`, ['list-secrets']);
    const nats = await remote(`nats://u:natspw@127.0.0.1:${closedPort}`, ['list-secrets']);
    expect([http.code, nats.code]).toEqual([5, 5]);
    expect(http.stderr).toMatch(/^strongroom: no answer from http:\/\/127\.0\.0\.1:\d+.*\(STORE_UNAVAILABLE\)\n$/);
    expect(nats.stderr).toBe(`strongroom: no NATS server answered at 127.0.0.1:${closedPort} (STORE_UNAVAILABLE)\n`);
    expect(nats.stderr).not.toContain('natspw');
  });

  it('never echoes credentials put in an http(s) address: refused, redacted, exit 2', async () => {
    for (const addr of [`http://u:${TOKEN}@127.0.0.1:${closedPort}`, `https://${TOKEN}@127.0.0.1:${closedPort}`, `${server.server.url.replace('//', `//u:${TOKEN}@`)}`]) {
      for (const args of [['list-secrets'], ['--json', 'get-secret', 'x']]) {
        const run = await remote(addr, args);
        expect(run.code).toBe(2);
        expect(run.stdout + run.stderr).not.toContain(TOKEN);
        expect(run.stdout + run.stderr).toContain('***@127.0.0.1');
        expect(run.stdout + run.stderr).toContain('STRONGROOM_TOKEN');
      }
    }
    // The same server without credentials in the URL answers (so the refusal above is about the URL only).
    const ok = await remote(server.server.url, ['list-secrets'], server.client.token);
    expect(ok.code).toBe(0);
  });

  it('the SDK refuses credentials in an http(s) URL without quoting them, and redacts every URL it names', async () => {
    const error = await StrongroomClient.connect({ url: `http://u:${TOKEN}@127.0.0.1:${closedPort}`, token: 't' }).catch((e: unknown) => e);
    expect(isClientError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as Error).message).not.toContain(TOKEN);
    expect(redactUrl('postgres://app:s3cret@db:5432/x?schema=a')).toBe('postgres://***@db:5432/x?schema=a');
    expect(redactUrl('nats://a:p@h1:4222,nats://b:q@h2:4222')).toBe('nats://***@h1:4222,nats://***@h2:4222');
    expect(redactUrl('http://tok@en@h/p@q')).toBe('http://***@h/p@q');
    expect(redactUrl('sqlite:/home/x@y/strongroom.db')).toBe('sqlite:/home/x@y/strongroom.db');
    expect(redactUrl('http://h:80/a')).toBe('http://h:80/a');
  });

  it('never prints the password of a store URL or a NATS URL (PostgreSQL, KurrentDB, serve --nats)', async () => {
    const home = join(nowhere, '..', 'store-home');
    const runs = await Promise.all([
      runCli(['--home', home, '--store', `postgres://app:${TOKEN}@127.0.0.1:${closedPort}/test`, 'list-secrets']),
      // An option the KurrentDB client does not know makes it print the whole connection string.
      runCli(['--home', home, '--store', `kurrentdb://app:${TOKEN}@127.0.0.1:${closedPort}?tls=false&bogus=1`, 'list-secrets']),
      runCli(['--home', home, 'serve', '--port', '0', '--nats', `nats://app:${TOKEN}@127.0.0.1:${closedPort}`]),
    ]);
    for (const run of runs) {
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
    }
    expect(runs[0]?.stderr).toContain('STORE_UNAVAILABLE');
    expect(runs[1]?.stderr).toContain(`kurrentdb://***@127.0.0.1:${closedPort}`);
    expect(runs[2]?.stderr).toContain(`cannot connect to the NATS server at 127.0.0.1:${closedPort}`);
  });
});
