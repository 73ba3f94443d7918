import { Injectable } from '@nestjs/common';
import type { Ticket } from '../kernel/ticket.js';
import type { WriteOutcome } from '../kernel/write-path.js';
import { StrongroomProjection } from '../projection/strongroom-projection.js';
import type { SecretCommand } from './domain/secret.decider.js';
import { decide } from './domain/secret.decider.js';
import { SCHEMA_VERSIONS, type SecretEvent } from './domain/secret-events.js';
import type { SecretSlot } from './domain/secret-slot.js';
import { slotStream } from './secret-streams.js';

/**
 * The write every secret command shares: decide a SecretCommand on the slot of (env, name) as this
 * process's projection holds it, through the ticket's one write path. `command` is called again on
 * each attempt, so it may read fresh state (e.g. the active key at that moment).
 */
@Injectable()
export class SecretSlots {
  constructor(private readonly projection: StrongroomProjection) {}

  /** `onDecided` sees the events of each decision (the last one is what was appended, when anything was). */
  write(
    ticket: Ticket,
    env: string,
    name: string,
    command: (slot: SecretSlot) => SecretCommand,
    onDecided?: (events: readonly SecretEvent[]) => void,
  ): Promise<WriteOutcome<SecretSlot>> {
    const stream = slotStream(env, name);
    return ticket.write({
      stream,
      state: () => this.projection.slotOfStream(stream),
      decide: (slot) => {
        const events = decide(command(slot), slot);
        onDecided?.(events);
        return events;
      },
      schemaVersions: SCHEMA_VERSIONS,
    });
  }
}
