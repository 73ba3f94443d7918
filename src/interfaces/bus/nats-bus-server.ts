import { ServerNats, type NatsOptions } from '@nestjs/microservices';
import type { Msg } from '@nats-io/transport-node';
import type { UseCase } from '../../kernel/use-case.js';
import type { Logger } from '../../shared/logger.js';
import type { BusAdapter, BusHeaders } from './bus-adapter.js';
import { commandSubscription } from './bus-subjects.js';

/** A payload that is not JSON: answered INVALID_INPUT without quoting it (it may hold a value). */
const NOT_JSON = Symbol('not JSON');

interface NatsHeadersLike {
  keys(): string[];
  get(name: string): string;
}

const headersOf = (raw: NatsHeadersLike | undefined): BusHeaders => ({
  get: (name) => {
    if (raw === undefined) return undefined;
    const key = raw.keys().find((k) => k.toLowerCase() === name);
    return key === undefined ? undefined : raw.get(key);
  },
});

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
  ) {
    super({
      ...options,
      // Nest's envelope `{ pattern, data, id }` in, the bare payload out; our handlers build the reply.
      deserializer: {
        deserialize: (message: Msg, context?: { channel?: string }) => ({ pattern: context?.channel ?? message.subject, data: parseJson(message), id: message.reply ?? 'no-reply' }),
      },
      serializer: { serialize: (packet: { response?: unknown }) => ({ data: JSON.stringify(packet.response), headers: undefined }) },
    });
  }

  /** Subscribes `<prefix>.*.cmd.<Name>` for each use case; call before the microservice listens. */
  addUseCases(prefix: string, useCases: readonly UseCase[], adapter: BusAdapter): void {
    for (const useCase of useCases) {
      this.addHandler(commandSubscription(prefix, useCase.name), async (data: unknown, context: { getSubject(): string; getHeaders(): NatsHeadersLike | undefined }) => {
        const headers = headersOf(context.getHeaders());
        if (data === NOT_JSON) return { error: { code: 'INVALID_INPUT', message: 'the message must be JSON' } };
        return adapter.handle(useCase, context.getSubject(), data, headers);
      });
    }
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
  try {
    return message.data.length === 0 ? {} : message.json();
  } catch {
    return NOT_JSON;
  }
};
