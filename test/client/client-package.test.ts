import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { deleteStreams, natsConnect, NATS_URL, uniquePrefix } from '../bus/nats-harness.js';
import { npmEnv, REPO_ROOT } from '../package/npm.js';
import { ReplicaProcess } from '../replicas/replica-process.js';
import { tempHome } from '../support/temp-home.js';
import { assertBuilt, BIN } from '../cli/run-cli.js';

/**
 * The client as its own package (`@strongroom/client`, packages/client): `npm pack` ships the client and
 * the wire contract only; installed OFFLINE into an empty consumer project it brings no other package
 * (no Nest, SQLite, pg, KurrentDB or NATS: the "must not pull the server's dependencies"); a
 * consumer written in TypeScript type-checks against its declarations with `skipLibCheck: false`; and
 * that consumer, compiled, stores and reads against a real `strongroom serve` over HTTP, then over NATS
 * once the consumer adds the optional NATS packages (copied from this repository's node_modules: no
 * network). Needs dist/ (npm test builds it; the package itself is rebuilt here, it takes a second).
 */
const PACKAGE_DIR = join(REPO_ROOT, 'packages', 'client');
const NATS_PEERS = ['@nats-io/transport-node', '@nats-io/jetstream'];
const exec = promisify(execFile);

// `process` is declared by the consumer itself: it compiles with no @types at all (lib ES2023 + DOM).
const CONSUMER = `
import { StrongroomClient, StrongroomClientError, type ReportRow, type WriteResult } from '@strongroom/client';

declare const process: { env: Record<string, string | undefined> };

const name = process.env.SECRET_NAME ?? 'consumer/db';
try {
  const client = await StrongroomClient.connect({ url: process.env.SERVER_URL ?? '', token: process.env.SERVER_TOKEN ?? '', prefix: process.env.NATS_PREFIX });
  const written: WriteResult = await client.storeSecretWithResult(name, 'consumer-value');
  const value: string | null = await client.getSecretByName(name);
  let code: string | null = null;
  try {
    await client.storeSecret(name, 'again');
  } catch (e) {
    code = e instanceof StrongroomClientError ? e.code : String(e);
  }
  const rows: ReportRow[] = [];
  for await (const row of client.accessReport({ secret: name })) rows.push(row);
  await client.close();
  console.log(JSON.stringify({ version: written.version, value, code, reads: rows.filter((r) => r.kind === 'read').length }));
} catch (e) {
  console.log(JSON.stringify({ error: e instanceof StrongroomClientError ? e.code : String(e), message: e instanceof Error ? e.message : '' }));
}
`;

// A misuse the declarations must catch: a read answers string | null, never a number.
const MISUSE = `
import { StrongroomClient } from '@strongroom/client';
const client = new StrongroomClient({ url: 'http://127.0.0.1:1', token: 't' });
const wrong: number = await client.getSecretByName('x');
export { wrong };
`;

const tsconfig = (files: string[], emit: boolean): string =>
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      types: [],
      strict: true,
      skipLibCheck: false,
      ...(emit ? { outDir: 'out' } : { noEmit: true }),
    },
    files,
  });

/** A package and every package it depends on, as directories of `from` (hoisted, as npm lays them out). */
const withDependencies = (from: string, names: readonly string[]): Set<string> => {
  const found = new Set<string>();
  const visit = (name: string): void => {
    if (found.has(name)) return;
    found.add(name);
    const manifest = JSON.parse(readFileSync(join(from, name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(manifest.dependencies ?? {})) if (existsSync(join(from, dep))) visit(dep);
  };
  names.forEach(visit);
  return found;
};

/** Every module specifier a JS or declaration file imports or re-exports (static and dynamic). */
const specifiersIn = (text: string): string[] => [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));

describe('the @strongroom/client package', () => {
  let scratch: { home: string; cleanup: () => void };
  let consumer: string;
  let packed: string[];
  let server: ReplicaProcess;
  let token: string;
  let prefix: string;

  beforeAll(async () => {
    assertBuilt();
    scratch = tempHome('client-package');
    consumer = join(scratch.home, 'consumer');
    mkdirSync(consumer);
    await exec('npm', ['run', 'build:client'], { cwd: REPO_ROOT, env: npmEnv() });
    // --ignore-scripts: the package was just built; prepack would only build it again.
    const { stdout } = await exec('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch.home], { cwd: PACKAGE_DIR, env: npmEnv() });
    const [pack] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
    packed = pack.files.map((f) => f.path);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    await exec('npm', ['install', '--offline', '--no-audit', '--no-fund', join(scratch.home, pack.filename)], { cwd: consumer, env: npmEnv() });

    const home = join(scratch.home, 'server');
    prefix = uniquePrefix();
    execFileSync(process.execPath, [BIN, '--home', home, 'init', '--json'], { stdio: 'pipe', env: npmEnv() });
    token = readFileSync(join(home, 'api-token'), 'utf8').trim();
    server = await ReplicaProcess.start(home, `sqlite:${join(home, 'strongroom.db')}`, { STRONGROOM_NATS_URL: NATS_URL, STRONGROOM_NATS_PREFIX: prefix });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    const nc = await natsConnect();
    await deleteStreams(nc, prefix);
    await nc.close();
    scratch?.cleanup();
  }, 30_000);

  it('packs the client and the wire contract only: compiled JS and declarations, README, LICENSE', () => {
    const unexpected = packed.filter((path) => !['package.json', 'README.md', 'LICENSE'].includes(path) && !/^dist\/(client|contracts)\/[\w-]+\.(js|d\.ts)$/.test(path));
    expect(unexpected).toEqual([]);
    expect(packed).toEqual(expect.arrayContaining(['dist/client/index.js', 'dist/client/index.d.ts', 'dist/client/nats-transport.js', 'dist/contracts/secrets.d.ts']));
    expect(readFileSync(join(PACKAGE_DIR, 'LICENSE'), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8'));
  });

  it('installs offline into an empty project and brings nothing else: no runtime dependency at all', () => {
    const installed = readdirSync(join(consumer, 'node_modules')).filter((name) => !name.startsWith('.'));
    expect(installed).toEqual(['@strongroom']);
    expect(readdirSync(join(consumer, 'node_modules', '@strongroom'))).toEqual(['client']);
    const manifest = JSON.parse(readFileSync(join(consumer, 'node_modules', '@strongroom', 'client', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.peerDependenciesMeta).toEqual(Object.fromEntries(NATS_PEERS.map((name) => [name, { optional: true }])));
  });

  it('imports only its own files (and the NATS peers, from the NATS transport and its loader alone): no server file, no framework, no Node builtin', () => {
    const root = join(consumer, 'node_modules', '@strongroom', 'client');
    const outside: string[] = [];
    for (const file of filesUnder(join(root, 'dist'))) {
      for (const specifier of specifiersIn(readFileSync(file, 'utf8'))) {
        const at = relative(root, file);
        if (specifier.startsWith('.')) {
          const target = join(dirname(file), specifier.replace(/\.js$/, file.endsWith('.d.ts') ? '.d.ts' : '.js'));
          if (!existsSync(target) || relative(root, target).startsWith('..')) outside.push(`${at}: ${specifier}`);
        } else if (!(['dist/client/nats-transport.js', 'dist/client/optional-peer.js'].includes(at) && NATS_PEERS.includes(specifier))) {
          outside.push(`${at}: ${specifier}`);
        }
      }
    }
    expect(outside).toEqual([]);
    const all = filesUnder(join(root, 'dist'))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    // No server package or Node builtin named in any string (a require() or a computed import included).
    expect(all).not.toMatch(/['"](@nestjs\/|better-sqlite3|zod|pg|pg\/|@kurrent\/|@fastify\/|fastify|node:)/);
  });

  it('type-checks a TypeScript consumer against its declarations (skipLibCheck false), and catches a misuse', async () => {
    writeFileSync(join(consumer, 'consumer.ts'), CONSUMER);
    writeFileSync(join(consumer, 'misuse.ts'), MISUSE);
    writeFileSync(join(consumer, 'tsconfig.json'), tsconfig(['consumer.ts'], true));
    writeFileSync(join(consumer, 'tsconfig.misuse.json'), tsconfig(['misuse.ts'], false));
    const tsc = join(REPO_ROOT, 'node_modules', '.bin', 'tsc');
    await expect(exec(tsc, ['-p', 'tsconfig.json'], { cwd: consumer })).resolves.toBeDefined();
    const misuse = await exec(tsc, ['-p', 'tsconfig.misuse.json'], { cwd: consumer }).then(
      () => 'compiled',
      (e: { stdout: string }) => e.stdout,
    );
    expect(misuse).toMatch(/misuse\.ts.*TS2322/);
  }, 60_000);

  const runConsumer = async (url: string, name: string): Promise<Record<string, unknown>> => {
    const { stdout } = await exec(process.execPath, ['out/consumer.js'], {
      cwd: consumer,
      env: npmEnv({ SERVER_URL: url, SERVER_TOKEN: token, NATS_PREFIX: prefix, SECRET_NAME: name }),
    });
    return JSON.parse(stdout.trim()) as Record<string, unknown>;
  };

  it('stores and reads against a real `strongroom serve` over HTTP', async () => {
    expect(await runConsumer(server.url, 'consumer/http')).toEqual({ version: 1, value: 'consumer-value', code: 'SECRET_NAME_CONFLICT', reads: 1 });
  }, 60_000);

  it('over NATS: names the packages to install while they are missing, then works once the consumer adds them', async () => {
    const missing = await runConsumer(NATS_URL, 'consumer/nats-missing');
    expect(missing).toEqual({ error: 'MISSING_DEPENDENCY', message: expect.stringContaining('npm install @nats-io/transport-node @nats-io/jetstream') });

    const from = join(REPO_ROOT, 'node_modules');
    const copied = withDependencies(from, NATS_PEERS);
    // First a partial install: the peers without a package they need. A clear error, and the consumer
    // process ends normally (it died of an unhandled rejection from inside the NATS library before).
    for (const name of copied) if (name !== '@nats-io/nats-core') cpSync(join(from, name), join(consumer, 'node_modules', name), { recursive: true, dereference: true });
    const partial = await runConsumer(NATS_URL, 'consumer/nats-partial');
    expect(partial).toEqual({ error: 'MISSING_DEPENDENCY', message: expect.stringContaining('@nats-io/nats-core') });
    expect(partial.message).toContain('npm install @nats-io/transport-node @nats-io/jetstream');

    for (const name of copied) cpSync(join(from, name), join(consumer, 'node_modules', name), { recursive: true, dereference: true });
    expect([...copied].filter((name) => /@nestjs|sqlite|^pg|@kurrent/.test(name))).toEqual([]);

    expect(await runConsumer(NATS_URL, 'consumer/nats')).toEqual({ version: 1, value: 'consumer-value', code: 'SECRET_NAME_CONFLICT', reads: 1 });
  }, 60_000);
});
