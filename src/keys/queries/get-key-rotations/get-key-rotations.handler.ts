import { QueryHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { GetKeyRotationsQuery, type GetKeyRotationsInput, type KeyRotations } from './get-key-rotations.query.js';

@QueryHandler(GetKeyRotationsQuery)
export class GetKeyRotationsHandler extends GatedHandler<GetKeyRotationsQuery, KeyRotations> {
  constructor(private readonly projection: StrongroomProjection) {
    super();
  }

  protected async handle(input: GetKeyRotationsInput): Promise<KeyRotations> {
    const keys = this.projection.keys;
    const all = keys.rotations;
    return {
      rotations: input.env === undefined ? all : all.filter((r) => r.env === input.env),
      master: { masterKeyId: keys.masterKeyId, pendingRotationId: keys.pendingMasterRotation?.rotationId ?? null, rotations: keys.masterRotations },
    };
  }
}
