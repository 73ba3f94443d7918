import { Inject, Injectable } from '@nestjs/common';
import { writeDecided } from '../app/decided-write.js';
import { CLOCK, EVENT_STORE, OPTIONS } from '../app/tokens.js';
import type { StrongroomOptions } from '../config/options.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { StrongroomProjection } from '../projection/strongroom-projection.js';
import type { Clock } from '../shared/clock.js';
import type { RequestContext } from '../shared/request-context.js';
import type { SecretEvent } from './domain/secret-events.js';
import { SCHEMA_VERSIONS } from './domain/secret-events.js';
import type { SecretSlot } from './domain/secret-slot.js';

/**
 * The write path every secret command shares (see writeDecided): decide on the slot as the projection
 * holds it; a check-and-set that no longer holds after a conflict raises VERSION_CONFLICT in `decide`.
 */
@Injectable()
export class SecretWriter {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    readonly projection: StrongroomProjection,
    @Inject(CLOCK) readonly clock: Clock,
    @Inject(OPTIONS) readonly options: StrongroomOptions,
  ) {}

  async write(
    stream: string,
    decide: (slot: SecretSlot) => SecretEvent[],
    context: RequestContext,
  ): Promise<{ position: number; slot: SecretSlot; appended: boolean }> {
    const { position, state, appended } = await writeDecided(
      this,
      { stream, state: () => this.projection.slotOfStream(stream), decide, schemaVersions: SCHEMA_VERSIONS },
      context,
    );
    return { position, slot: state, appended };
  }
}
