import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { StrongroomClientError, type ClientErrorCode } from './errors.js';
import type { StrongroomEvent, Unwatch, WatchOptions } from './events.js';
import { loadOptionalPeer, NATS_PEERS } from './optional-peer.js';
import type { CallOptions, Reply, Transport } from './transport.js';

/**
 * The use cases over the NATS bus (docs/BUS.md): request-reply on `<prefix>.<env>.cmd.<UseCase>`, the
 * token in the `authorization` header, and the change events of `<prefix>.<env>.events.*` for watches
 * and the value cache. Node only (@nats-io/transport-node): StrongroomClient loads this module only
 * for a `nats://` URL, so an HTTP client (or a browser bundle) never loads it.
 */
export interface NatsTransportOptions {
  /** `nats://host:4222` (several comma-separated servers are tried in turn). */
  readonly url: string;
  readonly token: string;
  /** Subject prefix (default `strongroom`; the server's STRONGROOM_NATS_PREFIX). */
  readonly prefix?: string;
  /** How long a request waits for its reply (ms, default 30,000). */
  readonly timeoutMs?: number;
}

export class NatsTransport implements Transport {
  private readonly prefix: string;
  /** Called when the connection drops or comes back: events may have been missed. */
  private readonly gapListeners = new Set<() => void>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly options: NatsTransportOptions,
  ) {
    this.prefix = options.prefix ?? 'strongroom';
    void this.watchStatus();
  }

  /** Connects (reconnecting for ever after a drop). @throws UNREACHABLE when no NATS server answers */
  static async connect(options: NatsTransportOptions): Promise<NatsTransport> {
    try {
      const nc = await connect({ servers: options.url.split(','), name: 'strongroom-client', maxReconnectAttempts: -1 });
      return new NatsTransport(nc, options);
    } catch (e) {
      throw new StrongroomClientError('UNREACHABLE', `no NATS server answered at ${hostsOf(options.url)}`, undefined, undefined, { cause: e });
    }
  }

  async call(useCase: string, input: Readonly<Record<string, unknown>>, options: CallOptions): Promise<Reply> {
    // No env in the input: the subject names none (the server's NO_ENV_SUBJECT), so a use case whose
    // absent env means "every environment" (an access report) gets exactly that, as over HTTP.
    const env = typeof input.env === 'string' ? input.env : '_global';
    const h = natsHeaders();
    h.set('authorization', `Bearer ${this.options.token}`);
    if (options.idempotencyKey !== undefined) h.set('idempotency-key', options.idempotencyKey);
    if (options.minPosition !== undefined && options.minPosition > 0) h.set('strongroom-min-position', String(options.minPosition));
    let answer: { result?: unknown; error?: { code?: unknown; message?: unknown } };
    try {
      const reply = await this.nc.request(`${this.prefix}.${env}.cmd.${useCase}`, JSON.stringify(input), { timeout: this.options.timeoutMs ?? 30_000, headers: h });
      answer = reply.json();
    } catch (e) {
      // No responder (no Strongroom on the bus), a timeout, a closed connection: the bus is unavailable.
      const noResponders = (e as { isNoResponders?: () => boolean }).isNoResponders?.() === true;
      const why = noResponders
        ? `no Strongroom server listens on ${this.prefix}.${env}.cmd.${useCase}: is one running with --nats on this NATS server, and is its prefix ${this.prefix}?`
        : `no answer on the bus for ${useCase}: ${(e as Error).name ?? 'error'}`;
      throw new StrongroomClientError('UNREACHABLE', why, undefined, undefined, { cause: e });
    }
    if (answer.error !== undefined) {
      const code = typeof answer.error.code === 'string' ? answer.error.code : 'BAD_RESPONSE';
      throw new StrongroomClientError(code as ClientErrorCode, typeof answer.error.message === 'string' ? answer.error.message : 'the server failed');
    }
    const position = (answer.result as { position?: unknown } | null)?.position;
    return { result: answer.result, ...(typeof position === 'number' && { position }) };
  }

  /**
   * Delivers the change events of `options.env` from the JetStream events stream through an ordered
   * consumer: each event once, in log order, even when two replicas published it (a core NATS
   * subscription would see both publishes). From now on, or from after `options.fromPosition`.
   */
  async watch(env: string, options: WatchOptions, onEvent: (event: StrongroomEvent) => void): Promise<Unwatch> {
    const { jetstream, jetstreamManager, DeliverPolicy } = await loadOptionalPeer(() => import('@nats-io/jetstream'), NATS_PEERS);
    const stream = eventStreamName(this.prefix);
    const types = options.types === undefined ? null : new Set(options.types);
    const filter = `${this.prefix}.${options.env ?? env}.events.*`;
    let start: { deliver_policy: (typeof DeliverPolicy)[keyof typeof DeliverPolicy]; opt_start_seq?: number };
    if (options.fromPosition !== undefined) {
      start = { deliver_policy: DeliverPolicy.All };
    } else {
      // Everything after what the stream holds now, so no event published after this call is missed.
      const info = await (await jetstreamManager(this.nc)).streams.info(stream);
      start = { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: info.state.last_seq + 1 };
    }
    const consumer = await jetstream(this.nc).consumers.get(stream, { filter_subjects: filter, ...start });
    const messages = await consumer.consume();
    const from = options.fromPosition ?? 0;
    const loop = (async () => {
      for await (const message of messages) {
        try {
          const event = message.json<StrongroomEvent>();
          if (event.position > from && (types === null || types.has(event.type))) onEvent(event);
        } catch {
          // Not Strongroom's: ignored.
        }
      }
    })();
    return async () => {
      await messages.close().catch(() => undefined);
      await loop;
    };
  }

  /** `listener` is called whenever the connection dropped or came back (events may have been missed). */
  onGap(listener: () => void): () => void {
    this.gapListeners.add(listener);
    return () => this.gapListeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.nc.drain().catch(() => undefined);
  }

  private async watchStatus(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect') for (const listener of this.gapListeners) listener();
    }
  }
}

/** The server's events stream for a prefix (src/interfaces/bus/bus-subjects.ts; restated: the SDK imports no server code). */
const eventStreamName = (prefix: string): string => `${prefix.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase()}_EVENTS`;

const hostsOf = (url: string): string =>
  url
    .split(',')
    .map((u) => {
      try {
        return new URL(u).host;
      } catch {
        return 'the configured URL';
      }
    })
    .join(', ');
