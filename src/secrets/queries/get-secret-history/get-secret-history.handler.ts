import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import { describeEvent } from '../../../audit/describe-event.js';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import { EVENT_LOG, type EventLog } from '../../../kernel/tokens.js';
import { SecretResolver } from '../../secret-resolver.js';
import { GetSecretHistoryQuery, type GetSecretHistoryInput, type SecretHistory, type SecretHistoryEntry } from './get-secret-history.query.js';

@QueryHandler(GetSecretHistoryQuery)
export class GetSecretHistoryHandler extends GatedHandler<GetSecretHistoryQuery, SecretHistory> {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    private readonly resolver: SecretResolver,
  ) {
    super();
  }

  protected async handle(input: GetSecretHistoryInput): Promise<SecretHistory> {
    const { id, stream } = this.resolver.streamOf(input.env, input.ref);
    let name = '';
    const entries: SecretHistoryEntry[] = [];
    for (const e of (await this.log.readStream(stream)).map(describeEvent)) {
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
    return { id, name, env: input.env, entries, rotations: entries.filter((e) => e.type === 'SecretRotated') };
  }
}
