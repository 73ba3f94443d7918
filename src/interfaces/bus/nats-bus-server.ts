import { ServerNats, type NatsOptions } from '@nestjs/microservices';
import type { Msg } from '@nats-io/transport-node';
import type { UseCase } from '../../kernel/use-case.js';
import type { Logger } from '../../shared/logger.js';
import type { BusAdapter } from './bus-adapter.js';
import type { BusReply } from './bus-error.js';
import { busHeadersOf, payloadJson, refusedReplySubject, type NatsHeadersLike } from './bus-message.js';
import { anyCommandSubscription, commandSubscription } from './bus-subjects.js';

/** A payload refused before any use case sees it (not UTF-8, not JSON): the reply that says so. */
class RefusedPayload {
  constructor(readonly reply: BusReply) {}
}

/**
 * @nestjs/microservices' NATS transport (its connection, queue-group subscriptions, status handling and
 * graceful close) speaking Strongroom's wire format instead of Nest's packet envelope, so any NATS
 * client can call it: the request payload is the use case's input as plain JSON, the reply is plain
 * `{ result }` or `{ error }` JSON. Handlers are registered from the catalogue (addHandler), one
 * subscription per use case in a queue group, so replicas share the requests.
 */
export class StrongroomNatsServer extends ServerNats {
  constructor(
    options: NatsOptions['options'],
    private readonly log: Logger,
    private readonly prefix: string,
  ) {
    super({
      ...options,
      // Nest's envelope `{ pattern, data, id }` in, the bare payload out; our handlers build the reply.
      deserializer: {
        deserialize: (message: Msg, context?: { channel?: string }) => ({
          pattern: context?.channel ?? message.subject,
          // The catch-all subscription only looks at the subject: its copy of a request is never parsed.
          data: context?.channel === anyCommandSubscription(prefix) ? null : parseJson(message),
          id: message.reply ?? 'no-reply',
        }),
      },
      serializer: { serialize: (packet: { response?: unknown }) => ({ data: JSON.stringify(packet.response), headers: undefined }) },
    });
  }

  /**
   * Subscribes `<prefix>.*.cmd.<Name>` for each use case, and `<prefix>.*.cmd.*` to answer a name the
   * catalogue lacks with UNKNOWN_OPERATION (as the durable queue does) rather than NATS's "no responders",
   * which reads as a server that is down. Call before the microservice listens.
   */
  addUseCases(prefix: string, useCases: readonly UseCase[], adapter: BusAdapter): void {
    const known = new Set(useCases.map((u) => u.name));
    // Every request also reaches this subscription. It has a queue group of its own: NATS picks one member
    // per queue *name* among all matching subscriptions, so sharing the use cases' group would let it take
    // their requests. It stays silent for the names the catalogue has, so their own reply is the only one.
    this.addHandler(
      anyCommandSubscription(prefix),
      async (_data: unknown, context: { getSubject(): string }) => {
        const name = context.getSubject().split('.').at(-1) ?? '';
        if (known.has(name)) return undefined;
        return { error: { code: 'UNKNOWN_OPERATION', message: `no use case named ${name.slice(0, 64)} on this bus: see the catalogue (GET /v1/openapi.json, docs/BUS.md)` } };
      },
      false,
      { queue: `${prefix}.unknown-commands` },
    );
    for (const useCase of useCases) {
      this.addHandler(commandSubscription(prefix, useCase.name), async (data: unknown, context: { getSubject(): string; getHeaders(): NatsHeadersLike | undefined }) => {
        if (data instanceof RefusedPayload) return data.reply;
        return adapter.handle(useCase, context.getSubject(), data, busHeadersOf(context.getHeaders()));
      });
    }
  }

  /**
   * A request whose reply subject the server must not publish to (refusedReplySubject) is dropped before
   * it runs: no reply, no command, one warning naming the subjects only (never the payload or headers).
   */
  override async handleMessage(channel: string, natsMsg: Msg): Promise<unknown> {
    const why = natsMsg.reply === undefined || natsMsg.reply === '' ? undefined : refusedReplySubject(this.prefix, natsMsg.reply);
    if (why !== undefined) {
      // Dropped on both subscriptions a request reaches; said once (the catch-all's copy stays quiet).
      if (channel === anyCommandSubscription(this.prefix)) return undefined;
      this.log.warn({ subject: natsMsg.subject.slice(0, 256), replySubject: natsMsg.reply?.slice(0, 256) }, `bus request refused: ${why}`);
      return undefined;
    }
    return super.handleMessage(channel, natsMsg);
  }

  /**
   * Nest answers a request with a packet per emitted value and one more when the stream completes; a
   * NATS requester reads only the first reply, so only packets that carry a response are published.
   */
  override getPublisher(natsMsg: Msg, id: string, ctx: unknown): (response: { response?: unknown }) => unknown {
    const publish = super.getPublisher(natsMsg, id, ctx as never) as (response: unknown) => unknown;
    return (packet) => {
      if (packet.response === undefined) return undefined;
      try {
        return publish(packet);
      } catch (e) {
        this.log.warn({ name: e instanceof Error ? e.name : typeof e }, 'bus reply could not be sent');
        // A reply over the NATS server's max_payload (a large report or export) is refused by the client
        // library before it leaves: answer that, rather than leave the requester waiting for its timeout.
        if (!(e instanceof Error && /max_payload/.test(e.message))) return undefined;
        try {
          return publish({ ...packet, response: { error: { code: 'INVALID_INPUT', message: TOO_LARGE } } });
        } catch {
          return undefined;
        }
      }
    };
  }
}

const TOO_LARGE = 'the reply is larger than the NATS server takes in one message (its max_payload): narrow the request, or read it over the HTTP API, which streams (GET /v1/audit/report, GET /v1/audit/export)';

const parseJson = (message: Msg): unknown => {
  const parsed = payloadJson(message.data);
  return 'refusal' in parsed ? new RefusedPayload(parsed.refusal) : parsed.payload;
};
