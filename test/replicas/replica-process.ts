import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/strongroom.js', import.meta.url));

/** A real `strongroom serve` process (needs dist/: npm test builds it first). */
export class ReplicaProcess {
  stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static start(home: string, store: string, env: Record<string, string> = {}): Promise<ReplicaProcess> {
    const child = spawn(process.execPath, [BIN, '--home', home, '--store', store, 'serve', '--port', '0', '--json'], {
      env: { ...process.env, STRONGROOM_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`serve did not start within 30 s: ${stderr}`));
      }, 30_000);
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = stdout.split('\n').find((l) => l.startsWith('{'));
        if (!line) return;
        clearTimeout(timer);
        const replica = new ReplicaProcess(child, (JSON.parse(line) as { url: string }).url);
        child.stderr?.on('data', (chunk: Buffer) => (replica.stderr += chunk.toString()));
        replica.stderr = stderr;
        resolve(replica);
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`serve exited with ${code} before listening: ${stderr}`));
      });
    });
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }
}

export interface Reply {
  readonly status: number;
  readonly position: number | null;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** JSON over fetch with the bearer token; never throws on an HTTP status, only on a dead connection. */
export const call = async (base: string, token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const position = res.headers.get('x-strongroom-position');
  return { status: res.status, position: position === null ? null : Number(position), body: text ? JSON.parse(text) : null };
};
