import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { npmEnv, packedFiles, REPO_ROOT } from '../package/npm.js';
import { startTestServer, type TestServer } from '../http/http-harness.js';
import { tempHome } from '../support/temp-home.js';

/**
 * `import { StrongroomClient } from 'strongroom/client'` in a consumer project that has the packed
 * strongroom package and NOTHING else in node_modules (no Nest, no SQLite, no pg, no fastify, no
 * KurrentDB client, no @nats-io): the client loads, stores and reads against a real server. A module
 * loader hook records every module the import resolves and refuses any bare package or `node:` builtin,
 * so the client is proven to load only its own files and the wire contract (which is also what a
 * browser bundle needs). The separate client package has its own test: client-package.test.ts.
 * Needs dist/ (npm test builds it first).
 */
const SERVER_PACKAGES = /^(@nestjs\/|better-sqlite3|pg$|pg\/|fastify|@fastify\/|@kurrent\/|@nats-io\/|pino|zod|rxjs|reflect-metadata)/;

const HOOKS = `
import { appendFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
const log = process.env.LOADED_LOG;
export async function resolve(specifier, context, next) {
  const fromConsumer = context.parentURL === undefined || !context.parentURL.includes('/node_modules/');
  if (!fromConsumer) {
    const bare = !specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.startsWith('file:');
    if (bare || specifier.startsWith('node:') || builtinModules.includes(specifier)) {
      appendFileSync(log, 'REFUSED ' + specifier + '\\n');
      throw new Error('the client tried to load ' + specifier);
    }
  }
  const resolved = await next(specifier, context);
  appendFileSync(log, resolved.url + '\\n');
  return resolved;
}
`;

const CONSUMER = `
import { StrongroomClient, StrongroomClientError } from 'strongroom/client';
const client = new StrongroomClient({ url: process.env.SERVER_URL, token: process.env.SERVER_TOKEN });
const id = await client.storeSecret('consumer/db', 'consumer-value');
const value = await client.getSecret(id);
let code = null;
try { await client.storeSecret('consumer/db', 'again'); } catch (e) { code = e instanceof StrongroomClientError ? e.code : String(e); }
console.log(JSON.stringify({ id, value, code }));
`;

describe('the strongroom/client install', () => {
  let server: TestServer;
  let consumer: string;
  let cleanup: () => void;

  beforeAll(async () => {
    server = await startTestServer();
    ({ home: consumer, cleanup } = tempHome('consumer'));
    const pkg = join(consumer, 'node_modules', 'strongroom');
    for (const file of await packedFiles()) {
      mkdirSync(dirname(join(pkg, file.path)), { recursive: true });
      cpSync(join(REPO_ROOT, file.path), join(pkg, file.path));
    }
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { strongroom: '*' } }));
    writeFileSync(join(consumer, 'hooks.mjs'), HOOKS);
    writeFileSync(join(consumer, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
    writeFileSync(join(consumer, 'consumer.mjs'), CONSUMER);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    cleanup?.();
  });

  it('loads only the client’s own files, with no server dependency installed, and works against a real server', async () => {
    const log = join(consumer, 'loaded.log');
    writeFileSync(log, '');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', './register.mjs', 'consumer.mjs'], {
      cwd: consumer,
      env: npmEnv({ SERVER_URL: server.server.url, SERVER_TOKEN: server.client.token, LOADED_LOG: log }),
    });
    expect(JSON.parse(stdout.trim())).toMatchObject({ value: 'consumer-value', code: 'SECRET_NAME_CONFLICT' });
    const loaded = readFileSync(log, 'utf8').trim().split('\n');
    expect(loaded.filter((line) => line.startsWith('REFUSED'))).toEqual([]);
    const fromPackage = loaded.filter((url) => url.includes('/node_modules/strongroom/'));
    expect(fromPackage.length).toBeGreaterThan(3);
    // The client's own files and the wire contract it shares with the server (src/contracts: imports nothing).
    expect(fromPackage.filter((url) => !/\/node_modules\/strongroom\/dist\/(client|contracts)\//.test(url))).toEqual([]);
    expect(loaded.filter((url) => SERVER_PACKAGES.test(url.split('/node_modules/').pop() ?? ''))).toEqual([]);
  }, 60_000);
});
