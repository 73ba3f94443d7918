import type { StrongroomOptions } from '../config/options.js';
import { ExpectedRevisionConflictError, type EventStore } from '../event-store/event-store.port.js';
import type { StrongroomProjection } from '../projection/strongroom-projection.js';
import type { Clock } from '../shared/clock.js';
import type { RequestContext } from '../shared/request-context.js';
import { toNewEvents } from './new-events.js';

const MAX_ATTEMPTS = 5;

export interface WriteDependencies {
  readonly store: EventStore;
  readonly projection: StrongroomProjection;
  readonly clock: Clock;
  readonly options: StrongroomOptions;
}

export interface DecidedWrite<State extends { readonly revision: number }> {
  readonly stream: string;
  /** The stream's state as this process's projection holds it now. */
  readonly state: () => State;
  readonly decide: (state: State) => readonly { readonly type: string; readonly data: object }[];
  readonly schemaVersions: Readonly<Record<string, number>>;
}

/**
 * The one write path of every command: read the stream's state from the projection, decide, append
 * with that state's revision as the expected revision, and reply only once this process's projection
 * has applied the write. A revision conflict means another writer (or replica) got there first: catch
 * up to the store's head and decide again, so a check that no longer holds fails in `decide` itself.
 */
export const writeDecided = async <State extends { readonly revision: number }>(
  deps: WriteDependencies,
  write: DecidedWrite<State>,
  context: RequestContext,
): Promise<{ position: number; state: State; appended: boolean }> => {
  const { store, projection, clock, options } = deps;
  for (let attempt = 1; ; attempt++) {
    const state = write.state();
    const events = write.decide(state);
    if (events.length === 0) return { position: projection.position, state, appended: false };
    try {
      const { position } = await store.appendToStream(write.stream, toNewEvents(events, write.schemaVersions, context, clock), {
        expectedRevision: state.revision === -1 ? 'no_stream' : state.revision,
      });
      await projection.waitFor(position, options.readWaitTimeoutMs);
      return { position, state: write.state(), appended: true };
    } catch (e) {
      if (!(e instanceof ExpectedRevisionConflictError) || attempt >= MAX_ATTEMPTS) throw e;
      // The winning write is committed, so it is at or below the head: wait for it, not a timer.
      await projection.waitFor(await store.headPosition(), options.readWaitTimeoutMs);
    }
  }
};
