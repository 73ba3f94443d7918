import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP proxy in front of one or more servers, as a load balancer would stand: requests go round
 * robin to `upstreams`; `failNext(n)` makes it answer the next n requests itself with a Strongroom-shaped
 * 503 (a replica that cannot reach its store), so a client's retries meet a real HTTP 503.
 */
export class RoundRobinProxy {
  /** Every request as it passed: method, path and the headers the client sent. */
  readonly seen: { method: string; path: string; headers: IncomingMessage['headers']; upstream: number | null }[] = [];
  private next = 0;
  private failures = 0;

  private constructor(
    private readonly server: Server,
    private readonly upstreams: readonly string[],
  ) {}

  /** Listens on 127.0.0.1:`port` (0: any free port). */
  static async start(upstreams: readonly string[], port = 0): Promise<RoundRobinProxy> {
    const server = createServer();
    const proxy = new RoundRobinProxy(server, upstreams);
    server.on('request', (req, res) => {
      if (proxy.failures > 0) {
        proxy.failures--;
        proxy.seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, upstream: null });
        req.resume();
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'STORE_UNAVAILABLE', message: 'the store is unavailable' } }));
        return;
      }
      const index = proxy.next++ % proxy.upstreams.length;
      proxy.seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, upstream: index });
      const target = new URL(req.url ?? '/', proxy.upstreams[index]);
      const upstream = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  failNext(n: number): void {
    this.failures = n;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
