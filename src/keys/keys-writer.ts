import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, EVENT_STORE, OPTIONS } from '../app/tokens.js';
import { toNewEvents } from '../app/new-events.js';
import { writeDecided } from '../app/decided-write.js';
import type { StrongroomOptions } from '../config/options.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { StrongroomProjection } from '../projection/strongroom-projection.js';
import type { Clock } from '../shared/clock.js';
import type { RequestContext } from '../shared/request-context.js';
import { KEY_SCHEMA_VERSIONS, KEYS_STREAM, type KeyEvent } from './domain/key-events.js';
import type { KeyringState } from './domain/keyring-state.js';

/** The `keys` stream's write path: decide on the current keyring state, append at its revision, wait to apply. */
@Injectable()
export class KeysWriter {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    readonly projection: StrongroomProjection,
    @Inject(CLOCK) readonly clock: Clock,
    @Inject(OPTIONS) readonly options: StrongroomOptions,
  ) {}

  async write(decide: (state: KeyringState) => KeyEvent[], context: RequestContext): Promise<{ position: number; appended: boolean }> {
    const { position, appended } = await writeDecided(
      this,
      { stream: KEYS_STREAM, state: () => this.projection.keys, decide, schemaVersions: KEY_SCHEMA_VERSIONS },
      context,
    );
    return { position, appended };
  }

  /** Events that need no decision on current state (per-secret failures): appended at any revision. */
  async record(events: readonly KeyEvent[], context: RequestContext): Promise<number> {
    const { position } = await this.store.appendToStream(KEYS_STREAM, toNewEvents(events, KEY_SCHEMA_VERSIONS, context, this.clock), {
      expectedRevision: 'any',
    });
    await this.projection.waitFor(position, this.options.readWaitTimeoutMs);
    return position;
  }
}
