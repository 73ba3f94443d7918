import { StrongroomClient, StrongroomClientError } from '../../src/client/index.js';
import { startTestServer, type TestServer } from '../http/http-harness.js';

/**
 * DescribeCaller (GET /v1/whoami) against a real server: the gate's own decisions per environment, for
 * root, for a token with policies and for one with none; never an environment the caller holds nothing
 * in; unauthenticated callers refused; and no event recorded for asking.
 */
describe('DescribeCaller', () => {
  let server: TestServer;
  let root: StrongroomClient;
  const opened: StrongroomClient[] = [];
  const as = (token: string): StrongroomClient => {
    const c = new StrongroomClient({ url: server.server.url, token });
    opened.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startTestServer();
    root = as(server.client.token);
    await root.createEnvironment('who-prod');
    await root.createEnvironment('who-hidden');
    await root.setPolicy('who-read', {
      rules: [
        { allow: ['list', 'describe', 'read'], secrets: ['**'], environments: ['who-prod'] },
        { allow: ['rotate'], secrets: ['payments/**'], environments: ['who-prod'] },
        { deny: ['read'], secrets: ['**'], environments: ['default'] },
        { allow: ['audit'], secrets: ['**'], environments: ['*'] },
      ],
    });
  });

  afterAll(async () => {
    for (const c of opened) await c.close();
    await server?.stop();
  });

  it('answers root with every capability everywhere', async () => {
    const me = await root.describeCaller();
    expect(me).toMatchObject({ principal: 'root', root: true });
    const envs = me.environments.map((e) => e.env);
    expect(envs).toEqual(expect.arrayContaining(['*', 'default', 'who-prod', 'who-hidden']));
    for (const e of me.environments) expect(e.all).toContain('admin');
  });

  it('answers a token with what its policies grant, environment by environment, as the gate decides', async () => {
    const created = await root.createToken({ principal: 'who-reader', policies: ['who-read'] });
    const me = await as(created.token).describeCaller();
    expect(me).toMatchObject({ principal: 'who-reader', tokenId: created.tokenId, root: false, policies: ['who-read'] });
    const prod = me.environments.find((e) => e.env === 'who-prod');
    expect(prod?.all.sort()).toEqual(['audit', 'describe', 'list', 'read']);
    // rotate is granted on payments/** only: offered on some secrets, not environment-wide.
    expect(prod?.some.sort()).toEqual(['audit', 'describe', 'list', 'read', 'rotate']);
    expect(me.environments.find((e) => e.env === '*')?.all).toEqual(['audit']);
    // Environments it holds nothing in beyond the global audit rule still show only that.
    expect(me.environments.find((e) => e.env === 'who-hidden')?.some).toEqual(['audit']);
    // What it says matches what the gate does.
    await expect(as(created.token).inEnvironment('who-prod').listSecrets()).resolves.toEqual([]);
    const refused = await as(created.token).inEnvironment('who-prod').rotateKey().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StrongroomClientError);
    expect((refused as StrongroomClientError).code).toBe('ACCESS_DENIED');
  });

  it('answers a token granted nothing here with its name and no environment, recording nothing', async () => {
    await root.setPolicy('who-elsewhere', { rules: [{ allow: ['read'], secrets: ['**'], environments: ['no-such-env'] }] });
    const created = await root.createToken({ principal: 'who-nobody', policies: ['who-elsewhere'] });
    const before = ((await server.client.request('GET', '/v1/audit/verify')).json as { head: unknown }).head;
    const me = await as(created.token).describeCaller();
    expect(me).toMatchObject({ principal: 'who-nobody', tokenId: created.tokenId, root: false, policies: ['who-elsewhere'], environments: [] });
    const after = ((await server.client.request('GET', '/v1/audit/verify')).json as { head: unknown }).head;
    expect(after).toEqual(before);
  });

  it('refuses a caller without a valid token', async () => {
    const res = await server.client.request('GET', '/v1/whoami', { token: null });
    expect(res.status).toBe(401);
    const bad = await as('sr_not-a-real-token').describeCaller().catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(StrongroomClientError);
  });
});
