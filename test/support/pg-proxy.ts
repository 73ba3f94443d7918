import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * - `pass`: forwards everything.
 * - `freeze`: forwards nothing and closes nothing, like a server or network that stopped answering.
 * - `cut-before-commit` / `cut-after-commit` (one-shot): on the next simple-query COMMIT, drops that
 *   connection without forwarding it, or forwards it and drops the connection before the reply.
 */
export type ProxyMode = 'pass' | 'freeze' | 'cut-before-commit' | 'cut-after-commit';

interface Pair {
  readonly client: Socket;
  readonly server: Socket;
  /** Client-to-server bytes not yet parsed into whole protocol messages. */
  pending: Buffer;
  started: boolean;
  cut: boolean;
}

const COMMIT = Buffer.from('COMMIT\0');

/** A TCP proxy in front of PostgreSQL that misbehaves on cue, for failure tests. */
export class PgFaultProxy {
  mode: ProxyMode = 'pass';
  private readonly pairs = new Set<Pair>();

  private constructor(private readonly server: Server) {}

  static start(targetPort: number): Promise<PgFaultProxy> {
    return new Promise((resolve, reject) => {
      const proxy: PgFaultProxy = new PgFaultProxy(createServer((client) => proxy.accept(client, targetPort)));
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => resolve(proxy));
    });
  }

  get port(): number {
    const address = this.server.address();
    if (typeof address !== 'object' || address === null) throw new Error('proxy not listening');
    return address.port;
  }

  /** Drops every open connection; the server sees them close and aborts what they held. */
  cutAll(): void {
    for (const pair of this.pairs) this.drop(pair);
  }

  close(): Promise<void> {
    this.cutAll();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, targetPort: number): void {
    const server = connect(targetPort, '127.0.0.1');
    const pair: Pair = { client, server, pending: Buffer.alloc(0), started: false, cut: false };
    this.pairs.add(pair);
    for (const socket of [client, server]) {
      // Once cut, `drop` is already scheduled or done (cut-after-commit lets the server side linger).
      socket.on('error', () => pair.cut || this.drop(pair));
      socket.on('close', () => pair.cut || this.drop(pair));
    }
    server.on('data', (chunk: Buffer) => {
      if (!pair.cut && this.mode !== 'freeze') client.write(chunk);
    });
    client.on('data', (chunk: Buffer) => this.fromClient(pair, chunk));
  }

  /** Splits the client's bytes into protocol messages, to spot a COMMIT. */
  private fromClient(pair: Pair, chunk: Buffer): void {
    if (pair.cut || this.mode === 'freeze') return;
    pair.pending = Buffer.concat([pair.pending, chunk]);
    for (;;) {
      // The startup message has no type byte; every later message is type + int32 length.
      const header = pair.started ? 5 : 4;
      if (pair.pending.length < header) return;
      const length = pair.started ? pair.pending.readInt32BE(1) + 1 : pair.pending.readInt32BE(0);
      if (pair.pending.length < length) return;
      const message = pair.pending.subarray(0, length);
      pair.pending = pair.pending.subarray(length);
      pair.started = true;
      const isCommit = message[0] === 0x51 /* Q */ && message.subarray(5).equals(COMMIT);
      if (isCommit && this.mode === 'cut-before-commit') {
        this.mode = 'pass';
        this.drop(pair);
        return;
      }
      pair.server.write(message);
      if (isCommit && this.mode === 'cut-after-commit') {
        this.mode = 'pass';
        // The client loses the connection now; the server gets the COMMIT and only then the close.
        pair.cut = true;
        pair.client.destroy();
        setTimeout(() => this.drop(pair), 300);
        return;
      }
    }
  }

  private drop(pair: Pair): void {
    pair.cut = true;
    pair.client.destroy();
    pair.server.destroy();
    this.pairs.delete(pair);
  }
}
