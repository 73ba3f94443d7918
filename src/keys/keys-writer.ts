import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, EVENT_STORE, OPTIONS } from '../app/tokens.js';
import { toNewEvents } from '../app/new-events.js';
import type { StrongroomOptions } from '../config/options.js';
import { ExpectedRevisionConflictError, type EventStore } from '../event-store/event-store.port.js';
import { StrongroomProjection } from '../projection/strongroom-projection.js';
import type { Clock } from '../shared/clock.js';
import type { RequestContext } from '../shared/request-context.js';
import { KEY_SCHEMA_VERSIONS, KEYS_STREAM, type KeyEvent } from './domain/key-events.js';
import type { KeyringState } from './domain/keyring-state.js';

const MAX_ATTEMPTS = 5;

/** The `keys` stream's write path: decide on the current keyring state, append at its revision, wait to apply. */
@Injectable()
export class KeysWriter {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projection: StrongroomProjection,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
  ) {}

  async write(decide: (state: KeyringState) => KeyEvent[], context: RequestContext): Promise<{ position: number; appended: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const state = this.projection.keys;
      const events = decide(state);
      if (events.length === 0) return { position: this.projection.position, appended: false };
      try {
        const { position } = await this.store.appendToStream(KEYS_STREAM, toNewEvents(events, KEY_SCHEMA_VERSIONS, context, this.clock), {
          expectedRevision: state.revision === -1 ? 'no_stream' : state.revision,
        });
        await this.projection.waitFor(position, this.options.readWaitTimeoutMs);
        return { position, appended: true };
      } catch (e) {
        if (!(e instanceof ExpectedRevisionConflictError) || attempt >= MAX_ATTEMPTS) throw e;
        const deadline = Date.now() + this.options.readWaitTimeoutMs;
        while (this.projection.keys.revision <= state.revision && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      }
    }
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
