import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE } from '../../../app/tokens.js';
import { describeEvent } from '../../../audit/describe-event.js';
import type { EventStore } from '../../../event-store/event-store.port.js';
import { SecretResolver } from '../../secret-resolver.js';
import { GetSecretHistoryQuery, type SecretHistoryEntry } from './get-secret-history.query.js';

/** Every change of one secret (its slot's events for that id), read from the log; never values. */
@QueryHandler(GetSecretHistoryQuery)
export class GetSecretHistoryHandler implements IQueryHandler<GetSecretHistoryQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly resolver: SecretResolver,
  ) {}

  async execute({ input }: GetSecretHistoryQuery): Promise<{ id: string; name: string; entries: SecretHistoryEntry[] }> {
    const { id, stream } = this.resolver.streamOf(input.ref);
    let name = '';
    const entries: SecretHistoryEntry[] = [];
    for (const e of (await this.store.readStream(stream)).map(describeEvent)) {
      if (e.secretId !== id) continue;
      if (e.name !== undefined) name = e.name;
      entries.push({
        position: e.position,
        type: e.type,
        version: e.version ?? 0,
        keyId: e.keyId ?? null,
        actor: e.actor,
        interface: e.interface,
        occurredAt: e.occurredAt,
      });
    }
    return { id, name, entries };
  }
}
