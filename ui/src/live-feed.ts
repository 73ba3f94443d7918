import { createParser } from 'eventsource-parser';
import { errorText } from './logic/error-text.js';
import { reconnectDelayMs, resumeHeaders } from './logic/sse.js';
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
 * The audit trail live, from GET /v1/audit/live: server-sent events read with fetch, because an
 * EventSource cannot send the Authorization header and the token must never go into a URL. After a
 * dropped connection it reconnects (backing off) with `Last-Event-ID`, so nothing is missed or repeated.
 * A 401 or 403 stops it for good (reconnecting would only record more refusals).
 */
export const openLiveFeed = (token: string): LiveFeed => {
  const entryListeners = new Set<(entries: readonly AuditEntry[]) => void>();
  const stateListeners = new Set<(state: FeedState) => void>();
  let state: FeedState = { kind: 'connecting' };
  let lastPosition: number | null = null;
  let closed = false;
  let abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const setState = (next: FeedState): void => {
    state = next;
    for (const listener of stateListeners) listener(next);
  };

  const connect = async (failures: number): Promise<void> => {
    abort = new AbortController();
    let batch: AuditEntry[] = [];
    const flush = (): void => {
      if (batch.length === 0) return;
      const entries = batch;
      batch = [];
      for (const listener of entryListeners) listener(entries);
    };
    const parser = createParser({
      onEvent: (event) => {
        if (event.event === 'audit') {
          const entry = JSON.parse(event.data) as AuditEntry;
          lastPosition = entry.position;
          batch.push(entry);
        } else if (event.event === 'position') {
          const { head } = JSON.parse(event.data) as { head: number };
          if (lastPosition === null) lastPosition = head;
          setState({ kind: 'live', head });
        }
      },
    });
    try {
      const response = await fetch('/v1/audit/live', {
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...resumeHeaders(lastPosition) },
        cache: 'no-store',
        signal: abort.signal,
      });
      if (response.status === 401 || response.status === 403) {
        const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
        setState({ kind: 'refused', message: errorText(body.error?.code ?? String(response.status), body.error?.message ?? '') });
        return;
      }
      if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
      failures = 0;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(value);
        flush();
      }
    } catch (e) {
      if (closed) return;
      failures++;
      setState({ kind: 'reconnecting', reason: e instanceof Error ? e.message : 'connection lost' });
    }
    flush();
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
