import { StrongroomClient, StrongroomClientError as ApiError } from '../../src/client/index.js';
import { errorText } from './logic/error-text.js';
import { reconnectDelayMs } from './logic/sse.js';
import type { AuditEntry } from './logic/timeline.js';

/** What the live feed tells its listeners. */
export type FeedState =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'live'; readonly head: number }
  | { readonly kind: 'reconnecting'; readonly reason: string }
  | { readonly kind: 'refused'; readonly message: string };

export interface LiveFeed {
  /** Called with each batch of new entries, in log order. Returns a function that unsubscribes. */
  onEntries(listener: (entries: readonly AuditEntry[]) => void): () => void;
  onState(listener: (state: FeedState) => void): () => void;
  readonly state: FeedState;
  close(): void;
}

/**
 * The audit trail live, through the SDK's followAuditTrail (GET /v1/audit/live, read with fetch so the
 * token stays in the Authorization header, never in a URL). After a dropped connection it reconnects
 * (backing off) from the last position seen, so nothing is missed or repeated.
 * A 401 or 403 stops it for good (reconnecting would only record more refusals).
 */
export const openLiveFeed = (token: string): LiveFeed => {
  const entryListeners = new Set<(entries: readonly AuditEntry[]) => void>();
  const stateListeners = new Set<(state: FeedState) => void>();
  let state: FeedState = { kind: 'connecting' };
  let lastPosition: number | null = null;
  let closed = false;
  let abort = new AbortController();
  const client = new StrongroomClient({ url: location.origin, token });
  let timer: ReturnType<typeof setTimeout> | undefined;

  const setState = (next: FeedState): void => {
    state = next;
    for (const listener of stateListeners) listener(next);
  };

  const connect = async (failures: number): Promise<void> => {
    abort = new AbortController();
    try {
      const feed = client.followAuditTrail({ ...(lastPosition !== null && { from: lastPosition }), signal: abort.signal });
      let batch: AuditEntry[] = [];
      for await (const message of feed) {
        failures = 0;
        if (message.kind === 'entry') {
          lastPosition = message.position;
          batch.push(message.entry as unknown as AuditEntry);
          continue;
        }
        // A head (or end) frame closes a burst: hand the entries over in one batch, in log order.
        if (batch.length > 0) for (const listener of entryListeners) listener(batch);
        batch = [];
        if (message.kind === 'head') {
          if (lastPosition === null) lastPosition = message.head;
          setState({ kind: 'live', head: message.head });
        }
      }
      if (batch.length > 0) for (const listener of entryListeners) listener(batch);
    } catch (e) {
      if (closed) return;
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        setState({ kind: 'refused', message: errorText(e.code, e.message) });
        return;
      }
      failures++;
      setState({ kind: 'reconnecting', reason: e instanceof Error ? e.message : 'connection lost' });
    }
    if (closed) return;
    // The server ended the stream (it is stopping, or the stream grew old): resume where it stopped.
    timer = setTimeout(() => void connect(failures), reconnectDelayMs(failures));
  };

  void connect(0);
  return {
    onEntries: (listener) => {
      entryListeners.add(listener);
      return () => entryListeners.delete(listener);
    },
    onState: (listener) => {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    get state() {
      return state;
    },
    close: () => {
      closed = true;
      clearTimeout(timer);
      abort.abort();
    },
  };
};

/**
 * The feed for a token whose rights (DescribeCaller) do not include the whole audit trail: never opened,
 * so signing in records no refusal; the console shows it as not available.
 */
export const unavailableFeed = (): LiveFeed => {
  const state: FeedState = { kind: 'refused', message: 'This token may not read the audit trail.' };
  return {
    onEntries: () => () => undefined,
    onState: () => () => undefined,
    state,
    close: () => undefined,
  };
};
