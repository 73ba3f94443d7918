import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE } from '../../../app/tokens.js';
import { describeEvent } from '../../../audit/describe-event.js';
import type { EventStore } from '../../../event-store/event-store.port.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { SecretResolver } from '../../../secrets/secret-resolver.js';
import { GetRotationHistoryQuery, type RotationHistory, type SecretRotationEntry } from './get-rotation-history.query.js';

@QueryHandler(GetRotationHistoryQuery)
export class GetRotationHistoryHandler implements IQueryHandler<GetRotationHistoryQuery> {
  constructor(
    private readonly projection: StrongroomProjection,
    private readonly resolver: SecretResolver,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ input }: GetRotationHistoryQuery): Promise<RotationHistory> {
    if (input.name === undefined || input.name === null || input.name === '') {
      const keys = this.projection.keys;
      return {
        kind: 'keys',
        rotations: keys.rotations,
        master: { masterKeyId: keys.masterKeyId, pendingRotationId: keys.pendingMasterRotation?.rotationId ?? null, rotations: keys.masterRotations },
      };
    }
    const { id, stream } = this.resolver.streamOf(input.name);
    const live = this.projection.liveById(id);
    const rotations: SecretRotationEntry[] = [];
    for (const e of (await this.store.readStream(stream)).map(describeEvent)) {
      if (e.type !== 'SecretRotated' || e.secretId !== id) continue;
      rotations.push({ secretId: id, name: live?.name ?? String(input.name), version: e.version ?? 0, rotatedAt: e.occurredAt, actor: e.actor });
    }
    return { kind: 'secret', name: live?.name ?? String(input.name), rotations };
  }
}
