import { AckPolicy, jetstream, jetstreamManager, RetentionPolicy, type ConsumerMessages, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import type { UseCase } from '../../kernel/use-case.js';
import type { Logger } from '../../shared/logger.js';
import type { BusAdapter, BusHeaders } from './bus-adapter.js';
import type { BusReply } from './bus-error.js';
import { busHeadersOf, payloadJson, refusedReplySubject } from './bus-message.js';
import { commandQueueStreamName } from './bus-subjects.js';

/** The durable consumer every replica shares, so each queued command goes to one of them at a time. */
export const COMMAND_CONSUMER = 'strongroom';

/** How long a replica may work on a command before JetStream gives it to another (ms). */
const ACK_WAIT_MS = 60_000;
/** When a command hit a passing condition (store or bus unavailable), how soon to try it again (ms). */
const RETRY_DELAY_MS = 2_000;
const RETRYABLE: ReadonlySet<string> = new Set(['STORE_UNAVAILABLE', 'BUS_UNAVAILABLE', 'KEY_UNAVAILABLE', 'NOT_INITIALISED']);

/**
 * The durable work queue for commands (issue 8): a JetStream stream with work-queue retention on
 * `<prefix>.queue.<env>.cmd.<UseCase>`, so commands sent while Strongroom is down wait in JetStream and
 * are executed when it returns. Same payload and headers as request-reply, plus an optional `reply-to`
 * header: the subject the `{ result }` / `{ error }` reply is published to.
 *
 * Delivery is at least once, so every command runs under an idempotency key: its `idempotency-key`
 * header, else one derived from its stream sequence (the same on every redelivery). The kernel records
 * the key with the first result (src/kernel/idempotency.ts), so a redelivered command answers that
 * result and acts once. A command that met a passing condition (503 codes) is handed back for a retry;
 * any other outcome is final and acknowledged.
 */
export class CommandQueue {
  private messages: ConsumerMessages | null = null;
  private loop: Promise<void> = Promise.resolve();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly useCases: ReadonlyMap<string, UseCase>,
    private readonly adapter: BusAdapter,
    private readonly logger: Logger,
    private readonly prefix: string,
  ) {}

  static async start(nc: NatsConnection, prefix: string, useCases: readonly UseCase[], adapter: BusAdapter, logger: Logger): Promise<CommandQueue> {
    const jsm = await jetstreamManager(nc);
    const stream = await ensureCommandQueue(jsm, prefix);
    const queue = new CommandQueue(nc, new Map(useCases.map((u) => [u.name, u])), adapter, logger, prefix);
    const consumer = await jetstream(nc).consumers.get(stream, COMMAND_CONSUMER);
    queue.messages = await consumer.consume({ max_messages: 16 });
    queue.loop = queue.run(queue.messages);
    return queue;
  }

  async stop(): Promise<void> {
    await this.messages?.close().catch(() => undefined);
    await this.loop;
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) {
      try {
        await this.handle(message);
      } catch (e) {
        this.logger.warn({ name: e instanceof Error ? e.name : typeof e }, 'a queued command could not be handled; it will be redelivered');
        message.nak(RETRY_DELAY_MS);
      }
    }
  }

  private async handle(message: JsMsg): Promise<void> {
    const name = message.subject.split('.').pop() ?? '';
    const useCase = this.useCases.get(name);
    const headers = queuedHeaders(message);
    const replyTo = headers.get('reply-to');
    // Refused before it runs, as request-reply does (StrongroomNatsServer.handleMessage): acknowledged, so
    // it is not redelivered, and nothing is published.
    const why = replyTo === undefined ? undefined : refusedReplySubject(this.prefix, replyTo);
    if (why !== undefined) {
      this.logger.warn({ subject: message.subject.slice(0, 256), replySubject: replyTo?.slice(0, 256) }, `queued command refused: ${why}`);
      message.ack();
      return;
    }
    let reply: BusReply;
    if (useCase === undefined) {
      reply = { error: { code: 'UNKNOWN_OPERATION', message: `no use case ${name.slice(0, 64)}` } };
    } else {
      const parsed = payloadJson(message.data);
      reply = 'refusal' in parsed ? parsed.refusal : await this.adapter.handle(useCase, message.subject, parsed.payload, headers);
    }
    if ('error' in reply && RETRYABLE.has(reply.error.code)) {
      message.nak(RETRY_DELAY_MS);
      return;
    }
    if (replyTo !== undefined && /^[A-Za-z0-9_.$-]{1,256}$/.test(replyTo)) this.nc.publish(replyTo, JSON.stringify(reply));
    message.ack();
  }
}

/**
 * Headers of a queued command, with an idempotency key derived from its stream sequence when it has none.
 * A key it does have is checked like any other (request-headers.ts): a malformed one is refused, not
 * swapped for the derived one, which would hide that the sender's own retries are not recognised.
 */
const queuedHeaders = (message: JsMsg): BusHeaders => {
  const headers = busHeadersOf(message.headers);
  const values = (name: string): string[] => {
    const given = headers.values(name);
    return given.length === 0 && name === 'idempotency-key' ? [`queue:${message.info.stream}:${message.seq}`] : given;
  };
  return { values, get: (name) => values(name)[0] };
};

/** The work-queue stream and its shared durable consumer, created when absent. @returns the stream name */
export const ensureCommandQueue = async (jsm: JetStreamManager, prefix: string): Promise<string> => {
  const name = commandQueueStreamName(prefix);
  try {
    await jsm.streams.info(name);
  } catch {
    await jsm.streams.add({ name, subjects: [`${prefix}.queue.*.cmd.*`], retention: RetentionPolicy.Workqueue });
  }
  try {
    await jsm.consumers.info(name, COMMAND_CONSUMER);
  } catch {
    await jsm.consumers.add(name, { durable_name: COMMAND_CONSUMER, ack_policy: AckPolicy.Explicit, ack_wait: nanos(ACK_WAIT_MS) });
  }
  return name;
};
