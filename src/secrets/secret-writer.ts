import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, EVENT_STORE, OPTIONS } from '../app/tokens.js';
import { toNewEvents } from '../app/new-events.js';
import type { StrongroomOptions } from '../config/options.js';
import { ExpectedRevisionConflictError, type EventStore } from '../event-store/event-store.port.js';
import { StrongroomProjection } from '../projection/strongroom-projection.js';
import type { Clock } from '../shared/clock.js';
import type { RequestContext } from '../shared/request-context.js';
import type { SecretEvent } from './domain/secret-events.js';
import { SCHEMA_VERSIONS } from './domain/secret-events.js';
import type { SecretSlot } from './domain/secret-slot.js';

const MAX_ATTEMPTS = 5;

/**
 * The write path every secret command shares: read the slot from the projection, decide, append with
 * the slot's revision as the expected revision, and reply only once this process's projection has
 * applied the write. A revision conflict means someone else wrote first: catch up and decide again
 * (the decision itself raises VERSION_CONFLICT when a check-and-set no longer holds).
 */
@Injectable()
export class SecretWriter {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projection: StrongroomProjection,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
  ) {}

  async write(
    stream: string,
    decide: (slot: SecretSlot) => SecretEvent[],
    context: RequestContext,
  ): Promise<{ position: number; slot: SecretSlot; appended: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const slot = this.projection.slotOfStream(stream);
      const events = decide(slot);
      if (events.length === 0) return { position: this.projection.position, slot, appended: false };
      try {
        const result = await this.store.appendToStream(stream, toNewEvents(events, SCHEMA_VERSIONS, context, this.clock), {
          expectedRevision: slot.revision === -1 ? 'no_stream' : slot.revision,
        });
        await this.projection.waitFor(result.position, this.options.readWaitTimeoutMs);
        return { position: result.position, slot: this.projection.slotOfStream(stream), appended: true };
      } catch (e) {
        if (!(e instanceof ExpectedRevisionConflictError) || attempt >= MAX_ATTEMPTS) throw e;
        await this.catchUp(stream, slot.revision);
      }
    }
  }

  /** Waits until the projection has seen a newer revision of `stream` than the one that conflicted. */
  private async catchUp(stream: string, staleRevision: number): Promise<void> {
    const deadline = Date.now() + this.options.readWaitTimeoutMs;
    while (this.projection.slotOfStream(stream).revision <= staleRevision && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2));
    }
  }
}
