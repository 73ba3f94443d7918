import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl. */
const findBinDir = (): string => {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) throw new Error('no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin');
  return join(root, newest, 'bin');
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

const uidOf = (name: string): { uid: number; gid: number } => {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error(`no OS user ${name} to run a throwaway PostgreSQL cluster as`);
  return { uid: Number(uid), gid: Number(gid) };
};

/**
 * A private PostgreSQL cluster in a temp dir, on its own port, for tests that stop and restart the
 * server. Never the shared test server. initdb refuses to run as root, so as root everything runs as the
 * `postgres` OS user (runuser) in a directory it owns.
 */
export class ThrowawayCluster {
  private running = false;

  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
    private readonly asRoot: boolean,
  ) {}

  static async create(): Promise<ThrowawayCluster> {
    const bin = findBinDir();
    const asRoot = userInfo().uid === 0;
    const dir = mkdtempSync(join(tmpdir(), 'strongroom-pg-'));
    if (asRoot) {
      const { uid, gid } = uidOf('postgres');
      chownSync(dir, uid, gid);
    }
    const cluster = new ThrowawayCluster(bin, dir, await freePort(), asRoot);
    try {
      await cluster.exec('initdb', ['-D', cluster.dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions']);
      await cluster.start();
    } catch (e) {
      await cluster.destroy();
      throw e;
    }
    return cluster;
  }

  /** Database `postgres` as user `postgres`, optionally in `schema`. */
  url(schema?: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres${schema ? `?schema=${schema}` : ''}`;
  }

  async start(): Promise<void> {
    // fsync off: the test kills the server, never the machine; it keeps initdb and commits fast.
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
    await this.exec('pg_ctl', ['-D', this.dataDir, '-o', options, '-l', join(this.dir, 'server.log'), '-w', '-t', '30', 'start']);
    this.running = true;
  }

  /** `immediate` is a crash as far as clients are concerned: connections drop, nothing is flushed politely. */
  async stop(mode: 'immediate' | 'fast' = 'immediate'): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
    this.running = false;
  }

  async destroy(): Promise<void> {
    if (this.running) await this.stop('immediate').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  private async exec(tool: 'initdb' | 'pg_ctl', args: string[]): Promise<void> {
    const path = join(this.bin, tool);
    const [command, argv] = this.asRoot ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
    try {
      await run(command, argv, { timeout: 60_000, cwd: this.dir });
    } catch (e) {
      const { stderr, stdout } = e as { stderr?: string; stdout?: string };
      throw new Error(`${tool} ${args.at(-1) ?? ''} failed: ${(stderr || stdout || String(e)).trim()}`);
    }
  }
}
