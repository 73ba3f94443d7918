import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon, { type Request as LoadRequest, type Result } from 'autocannon';
import { VALUE, withHome } from './strongroom.bench.js';

/**
 * HTTP under a real load generator: autocannon in this process, 64 connections, against a server in a
 * child process (bench/http-child.ts), so the two share the machine's cores but not an event loop.
 * Each run measures, on one home: audited GET /v1/secrets/:name, then the bare Fastify route with the
 * same token check (the baseline), then POST /v1/secrets (durable stores, unique names).
 */

const CHILD = fileURLToPath(new URL('./http-child.js', import.meta.url));
const CONNECTIONS = 64;

export interface HttpFigures {
  readonly reads: number;
  readonly readP99Ms: number;
  readonly bare: number;
  readonly bareP99Ms: number;
  readonly writes: number;
  readonly writeP99Ms: number;
}

interface Served {
  readonly url: string;
  readonly token: string;
  readonly child: ChildProcess;
}

const serve = (mode: 'strongroom' | 'bare', home: string): Promise<Served> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, mode, home], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`http-child ${mode} exited with ${code} before listening`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => {
      const { url, token } = JSON.parse(line) as { url: string; token: string };
      resolve({ url, token, child });
    });
  });

const stop = async (served: Served): Promise<void> => {
  const exited = new Promise<void>((r) => served.child.once('exit', () => r()));
  served.child.kill('SIGTERM');
  await exited;
};

/** Throws unless every response was a 2xx: a figure made of errors would be meaningless. */
const checked = (what: string, result: Result): Result => {
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${what}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts of ${result.requests.total}`);
  }
  return result;
};

const load = (url: string, token: string, seconds: number, request: LoadRequest): Promise<Result> =>
  autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: { authorization: `Bearer ${token}` }, requests: [request] });

const getRotating = (names: readonly string[], prefix: string): LoadRequest => {
  let i = 0;
  return { method: 'GET', setupRequest: (r) => ({ ...r, path: `${prefix}${names[i++ % names.length] as string}` }) };
};

/** One run: `secrets` secrets stored first (outside the timing), then reads, bare, writes, `seconds` each after a warm-up. */
export const benchHttp = (secrets: number, seconds: number, warmupSeconds: number, run: number): Promise<HttpFigures> =>
  withHome(async (home) => {
    const names = Array.from({ length: secrets }, (_, i) => `h-${i}`);
    let server = await serve('strongroom', home);
    let reads: Result;
    let writes: Result;
    try {
      const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
      for (let i = 0; i < names.length; i += 64) {
        await Promise.all(
          names.slice(i, i + 64).map(async (name) => {
            const res = await fetch(`${server.url}/v1/secrets`, { method: 'POST', headers, body: JSON.stringify({ name, value: VALUE }) });
            if (res.status !== 201) throw new Error(`seeding ${name}: HTTP ${res.status}`);
            await res.arrayBuffer();
          }),
        );
      }
      await load(server.url, server.token, warmupSeconds, getRotating(names, '/v1/secrets/'));
      reads = checked('audited reads', await load(server.url, server.token, seconds, getRotating(names, '/v1/secrets/')));
      let n = 0;
      const post = (prefix: string): LoadRequest => ({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (r) => ({ ...r, path: '/v1/secrets', body: JSON.stringify({ name: `${prefix}-${run}-${n++}`, value: VALUE }) }),
      });
      await load(server.url, server.token, warmupSeconds, post('warm'));
      writes = checked('writes', await load(server.url, server.token, seconds, post('w')));
    } finally {
      await stop(server);
    }
    server = await serve('bare', home);
    let bare: Result;
    try {
      await load(server.url, server.token, warmupSeconds, getRotating(names, '/bare/'));
      bare = checked('bare route', await load(server.url, server.token, seconds, getRotating(names, '/bare/')));
    } finally {
      await stop(server);
    }
    return {
      reads: reads.requests.total / reads.duration,
      readP99Ms: reads.latency.p99,
      bare: bare.requests.total / bare.duration,
      bareP99Ms: bare.latency.p99,
      writes: writes.requests.total / writes.duration,
      writeP99Ms: writes.latency.p99,
    };
  });
