import { Injectable } from '@nestjs/common';
import type { Ticket } from '../kernel/ticket.js';
import { StrongroomProjection } from '../projection/strongroom-projection.js';
import { KEY_SCHEMA_VERSIONS, KEYS_STREAM, type KeyEvent } from './domain/key-events.js';
import type { KeyringState } from './domain/keyring-state.js';

/** The `keys` stream's writes, through a ticket's one write path: decide on the keyring state as projected here. */
@Injectable()
export class KeysWriter {
  constructor(readonly projection: StrongroomProjection) {}

  async write(ticket: Ticket, decide: (state: KeyringState) => KeyEvent[]): Promise<{ position: number; appended: boolean }> {
    const { position, appended } = await ticket.write({ stream: KEYS_STREAM, state: () => this.projection.keys, decide, schemaVersions: KEY_SCHEMA_VERSIONS });
    return { position, appended };
  }

  /** Events that need no decision on current state (per-secret failures): appended at any revision. */
  record(ticket: Ticket, events: readonly KeyEvent[]): Promise<number> {
    return ticket.record(KEYS_STREAM, events, KEY_SCHEMA_VERSIONS);
  }
}
