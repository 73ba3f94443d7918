import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { assertBuilt, cliIn, parseJson } from '../cli/run-cli.js';
import { codeOf } from '../support/code-of.js';
import { tempHome } from '../support/temp-home.js';
import { serveHome, type TestServer } from './http-harness.js';

/**
 * A token issued or revoked by another process on the same SQLite file (here the CLI, beside a running
 * server and a library) applies to the very next request: an issued token is not refused (and recorded
 * as a failed authentication) while this process has not seen it, and a revoked one is not accepted.
 */
describe('tokens issued or revoked by another process on the same store', () => {
  const { home, cleanup } = tempHome('token-freshness');
  const { run } = cliIn(home);
  let server: TestServer;

  beforeAll(async () => {
    assertBuilt();
    expect((await run(['init'])).code).toBe(0);
    server = await serveHome(home);
  });
  afterAll(async () => {
    await server.stop();
    cleanup();
  });

  it('a token another process just created works at once over HTTP, and no failed authentication is recorded', async () => {
    // The library as the other process: its commit is a moment before the request, well within the
    // server's 250 ms poll of the file (a CLI's exit alone often takes longer than that).
    const operator = await SecretManager.open({ home, logger: createLogger({ silent: true }) });
    try {
      for (let i = 0; i < 3; i++) {
        const { token } = await operator.createToken({ principal: `fresh-${i}`, root: true });
        expect((await server.client.as(token).get('/v1/secrets')).status).toBe(200);
      }
    } finally {
      await operator.close();
    }
    const failures = (await server.client.get('/v1/audit/report?format=json')).text.split('\n').filter((l) => l.includes('"authn-failed"'));
    expect(failures).toEqual([]);
  });

  it('a token the CLI just revoked is refused at the next request, over HTTP and in a library opened with it', async () => {
    const created = parseJson<{ token: string; tokenId: string }>(await run(['token', 'create', '--name', 'leaving', '--root', '--json']));
    const api = server.client.as(created.token);
    expect((await api.get('/v1/secrets')).status).toBe(200);
    const library = await SecretManager.open({ home, token: created.token, logger: createLogger({ silent: true }) });
    try {
      expect(await library.listSecrets()).toEqual([]);
      expect((await run(['token', 'revoke', created.tokenId, '--reason', 'left'])).code).toBe(0);
      const refused = await api.get('/v1/secrets');
      expect(refused.status).toBe(401);
      expect(JSON.stringify(refused.json)).toMatch(/revoked/);
      expect(await codeOf(library.listSecrets())).toBe('UNAUTHENTICATED');
    } finally {
      await library.close();
    }
  });
});
