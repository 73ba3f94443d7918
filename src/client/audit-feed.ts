import { StrongroomClientError, type ClientErrorCode } from './errors.js';

/** One message of the live audit feed (GET /v1/audit/live). */
export type AuditFeedMessage =
  /** An audit-trail entry (metadata only, as GET /v1/audit describes it); `position` is its log position. */
  | { readonly kind: 'entry'; readonly position: number; readonly entry: Readonly<Record<string, unknown>> }
  /** Where the log stands: sent when the stream opens and while it is idle. */
  | { readonly kind: 'head'; readonly head: number }
  /** The server ended the stream (it is stopping, or the stream grew old): reconnect from the last position. */
  | { readonly kind: 'end'; readonly reason: string };

export interface AuditFeedOptions {
  /** Resume after this log position (sent as `Last-Event-ID`); absent: start at the head. */
  readonly from?: number;
  /** Ends the stream (the iterator then finishes quietly). */
  readonly signal?: AbortSignal;
}

interface SseEvent {
  event: string;
  data: string;
}

/**
 * Reads GET /v1/audit/live: server-sent events read with fetch, because an EventSource cannot send the
 * Authorization header and a token must never travel in a URL. One connection; reconnecting (with the
 * last position as `from`) is the caller's, who knows how long to wait.
 *
 * The SSE parser is hand-written (the WHATWG "event stream interpretation": lines, `field: value`,
 * `data` joined by newlines, a blank line dispatches) because the SDK loads no package at all (see
 * test/client/client-install.test.ts), and the server's frames use only `id`, `event` and `data`.
 * @throws StrongroomClientError with the server's code (UNAUTHENTICATED, ACCESS_DENIED, ...) when the
 *   feed is refused, UNREACHABLE when no server answers, BAD_RESPONSE on a frame that is not JSON
 */
export async function* readAuditFeed(base: string, token: string, fetchImpl: typeof fetch, options: AuditFeedOptions): AsyncGenerator<AuditFeedMessage> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
  if (options.from !== undefined) headers['last-event-id'] = String(options.from);
  let response: Response;
  try {
    response = await fetchImpl(`${base}/v1/audit/live`, { headers, ...(options.signal && { signal: options.signal }) });
  } catch (e) {
    if (options.signal?.aborted) return;
    throw new StrongroomClientError('UNREACHABLE', `no answer from ${base}`, undefined, undefined, { cause: e });
  }
  if (!response.ok || response.body === null) throw await refusal(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let current: SseEvent = { event: 'message', data: '' };
  let hasData = false;
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (e) {
        if (options.signal?.aborted) return;
        throw new StrongroomClientError('UNREACHABLE', `the feed from ${base} broke off`, undefined, undefined, { cause: e });
      }
      if (chunk.done) return;
      buffer += chunk.value;
      const lines = buffer.split(/\r\n|\n|\r/);
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') {
          // Aborted: the rest of a chunk already read is dropped, not handed out after the caller said stop.
          if (options.signal?.aborted) return;
          if (hasData) yield messageOf(current);
          current = { event: 'message', data: '' };
          hasData = false;
          continue;
        }
        if (line.startsWith(':')) continue; // a comment (keep-alive)
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
        if (field === 'event') current.event = value;
        else if (field === 'data') {
          current.data = hasData ? `${current.data}\n${value}` : value;
          hasData = true;
        }
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

const messageOf = (event: SseEvent): AuditFeedMessage => {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(event.data) as Record<string, unknown>;
  } catch {
    throw new StrongroomClientError('BAD_RESPONSE', `the audit feed sent a ${event.event} frame that is not JSON`);
  }
  if (event.event === 'audit') return { kind: 'entry', position: Number(data.position), entry: data };
  if (event.event === 'position') return { kind: 'head', head: Number(data.head) };
  if (event.event === 'end') return { kind: 'end', reason: String(data.reason ?? '') };
  throw new StrongroomClientError('BAD_RESPONSE', `the audit feed sent an unknown ${event.event} frame`);
};

const refusal = async (response: Response): Promise<StrongroomClientError> => {
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: unknown; message?: unknown } };
  const code = typeof body.error?.code === 'string' ? (body.error.code as ClientErrorCode) : 'BAD_RESPONSE';
  const message = typeof body.error?.message === 'string' ? body.error.message : `the audit feed answered HTTP ${response.status}`;
  return new StrongroomClientError(code, message, response.status);
};
