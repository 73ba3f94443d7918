import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { codeOf } from '../support/code-of.js';
import { tempHome } from '../support/temp-home.js';
import { assertBuilt, cliIn, parseJson } from './run-cli.js';

/**
 * The access-control verbs end to end (real `strongroom` processes on one home), and the library
 * running under a token instead of as the local operator.
 */
describe('strongroom env / policy / token', () => {
  const { home, cleanup } = tempHome('cli-access');
  const { run } = cliIn(home);
  const quiet = createLogger({ silent: true });

  beforeAll(async () => {
    assertBuilt();
    expect((await run(['init'])).code).toBe(0);
  });
  afterAll(cleanup);

  it('creates and lists environments; secrets live in one; a missing one says how to create it', async () => {
    expect(parseJson(await run(['env', 'create', 'prod', '--json']))).toMatchObject({ env: 'prod', keyId: expect.any(String) });
    expect((await run(['env', 'create', 'prod'])).code).toBe(4);
    expect((await run(['add-secret', 'payments/db', '--env', 'prod'], { input: 'prod-value' })).code).toBe(0);
    expect((await run(['add-secret', 'payments/db'], { input: 'default-value' })).code).toBe(0);
    expect((await run(['get-secret', 'payments/db', '--env', 'prod'])).stdout).toBe('prod-value');
    expect((await run(['--env', 'prod', 'get-secret', 'payments/db'])).stdout).toBe('prod-value');
    expect((await run(['get-secret', 'payments/db'], { env: { STRONGROOM_ENV: 'prod' } })).stdout).toBe('prod-value');
    expect((await run(['get-secret', 'payments/db'])).stdout).toBe('default-value');
    const missing = await run(['add-secret', 'x', '--env', 'staging'], { input: 'v' });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/strongroom env create staging/);
    const envs = parseJson<{ env: string; liveSecrets: number }[]>(await run(['env', 'list', '--json']));
    expect(envs).toEqual([expect.objectContaining({ env: 'default', liveSecrets: 1 }), expect.objectContaining({ env: 'prod', liveSecrets: 1 })]);
  });

  it('sets a policy from YAML, shows it and its history, refuses a malformed one', async () => {
    const file = join(home, 'payments-read.yaml');
    writeFileSync(file, 'rules:\n  - allow: [read, list]\n    secrets: ["payments/**"]\n    environments: [prod]\n');
    expect(parseJson(await run(['policy', 'set', 'payments-read', file, '--json']))).toMatchObject({ name: 'payments-read', version: 1, changed: true });
    expect(parseJson(await run(['policy', 'set', 'payments-read', file, '--json']))).toMatchObject({ version: 1, changed: false });
    writeFileSync(file, '{"rules": [{"allow": ["read", "list", "describe"], "secrets": ["payments/**"], "environments": ["prod"]}]}');
    expect(parseJson(await run(['policy', 'set', 'payments-read', file, '--json']))).toMatchObject({ version: 2 });
    expect((await run(['policy', 'get', 'payments-read'])).stdout).toMatch(/version 2[\s\S]*describe/);
    expect(parseJson<{ version: number }[]>(await run(['policy', 'history', 'payments-read', '--json'])).map((v) => v.version)).toEqual([1, 2]);
    expect(parseJson<{ name: string }[]>(await run(['policy', 'list', '--json'])).map((p) => p.name)).toEqual(['payments-read']);
    writeFileSync(file, 'rules:\n  - allow: [fly]\n');
    const bad = await run(['policy', 'set', 'broken', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/rules\.0\.allow\.0/);
  });

  let serviceToken = '';
  let serviceTokenId = '';

  it('creates a token (printed once), lists tokens without them, and the library runs under it', async () => {
    const created = await run(['token', 'create', '--name', 'payments-api', '--policy', 'payments-read', '--ttl', '90d', '--json']);
    expect(created.code).toBe(0);
    ({ token: serviceToken, tokenId: serviceTokenId } = parseJson<{ token: string; tokenId: string }>(created));
    expect(serviceToken).toMatch(/^srt_/);
    const listed = await run(['token', 'list']);
    expect(listed.stdout).toMatch(/payments-api\s+service\s+payments-read\s+active/);
    expect(listed.stdout).not.toContain(serviceToken);

    const svc = await SecretManager.open({ home, token: serviceToken, environment: 'prod', logger: quiet });
    try {
      expect(await svc.getSecretByName('payments/db')).toBe('prod-value');
      expect(await codeOf(svc.storeSecret('payments/new', 'x'))).toBe('ACCESS_DENIED');
      expect(await codeOf(svc.inEnvironment('default').getSecretByName('payments/db'))).toBe('ACCESS_DENIED');
      expect(await codeOf(svc.createToken({ principal: 'escalate', root: true }))).toBe('ACCESS_DENIED');
    } finally {
      await svc.close();
    }
    expect(await codeOf(SecretManager.open({ home, token: 'srt_0000000000000000_' + 'x'.repeat(43), logger: quiet }))).toBe('UNAUTHENTICATED');
  });

  it('the audit log shows the token holder as the actor, and its denials', async () => {
    const trail = parseJson<{ type: string; actor: string; tokenId?: string; interface: string }[]>(await run(['audit', 'log', '--limit', '10000', '--json']));
    expect(trail).toContainEqual(expect.objectContaining({ type: 'SecretAccessed', actor: 'payments-api', tokenId: serviceTokenId, interface: 'library' }));
    expect(trail.filter((e) => e.type === 'AccessDenied' && e.actor === 'payments-api')).toHaveLength(3);
  });

  it('rotates and revokes a token; a lost root token is replaced by the master-key holder', async () => {
    const rotated = parseJson<{ token: string; tokenId: string }>(await run(['token', 'rotate', serviceTokenId, '--json']));
    expect(rotated.tokenId).toBe(serviceTokenId);
    expect(await codeOf(SecretManager.open({ home, token: serviceToken, logger: quiet }))).toBe('UNAUTHENTICATED');
    expect((await run(['token', 'revoke', serviceTokenId, '--reason', 'left the team'])).code).toBe(0);
    expect(await codeOf(SecretManager.open({ home, token: rotated.token, logger: quiet }))).toBe('UNAUTHENTICATED');

    const root = parseJson<{ token: string; root: boolean }>(await run(['token', 'create', '--name', 'root-2', '--root', '--json']));
    expect(root.root).toBe(true);
    const m = await SecretManager.open({ home, token: root.token, environment: 'prod', logger: quiet });
    try {
      expect(await m.getSecretByName('payments/db')).toBe('prod-value');
    } finally {
      await m.close();
    }
    const usage = await run(['token', 'create', '--name', 'x']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/at least one policy/);
  });
});
