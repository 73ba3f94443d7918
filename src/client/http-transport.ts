import { StrongroomClientError, type ClientErrorCode } from './errors.js';
import { readAuditFeed, type AuditFeedMessage, type AuditFeedOptions } from './audit-feed.js';
import { HTTP_ROUTES, type HttpRequestPlan } from './http-routes.js';
import type { CallOptions, Reply, StreamOptions, Transport } from './transport.js';

// The server's read-your-writes headers (src/interfaces/http/read-your-writes.ts), spelled out here
// because the SDK must not import server modules.
const POSITION_HEADER = 'x-strongroom-position';
const MIN_POSITION_HEADER = 'x-strongroom-min-position';

export interface HttpTransportOptions {
  /** Base URL of the server, e.g. `https://strongroom.internal:8200` (a path prefix is kept). */
  readonly url: string;
  /** The bearer token; sent on every request, never logged or put in an error. */
  readonly token: string;
  /** A fetch implementation (default: the global one, in Node 20+ and every browser). */
  readonly fetch?: typeof fetch;
}

/**
 * The use cases over the HTTP API with the global `fetch` only, so the same code runs in Node and in a
 * browser bundle (no `node:` import, no Node-only dependency). One attempt per call: retrying is the
 * client's (StrongroomClient), so every transport retries alike.
 */
export class HttpTransport implements Transport {
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private closed = false;

  constructor(private readonly options: HttpTransportOptions) {
    this.base = options.url.replace(/\/+$/, '');
    // Bound, so a browser's fetch is not called with the transport as `this` (an "Illegal invocation").
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  async call(useCase: string, input: Readonly<Record<string, unknown>>, options: CallOptions): Promise<Reply> {
    if (this.closed) throw new StrongroomClientError('UNREACHABLE', 'the client is closed');
    const route = HTTP_ROUTES[useCase];
    if (route === undefined) throw new StrongroomClientError('UNKNOWN_OPERATION', `no HTTP route for use case ${useCase}`);
    return this.send(route(input), options);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** One connection to the live audit trail; see readAuditFeed. */
  auditFeed(options: AuditFeedOptions): AsyncIterable<AuditFeedMessage> {
    if (this.closed) throw new StrongroomClientError('UNREACHABLE', 'the client is closed');
    return readAuditFeed(this.base, this.options.token, this.fetch, options);
  }

  /**
   * A streamed route's body (a report's or an export's JSON lines) as it arrives: one connection, the
   * lines as the server sent them (without their newline), so memory holds one chunk, not the body.
   * The server's refusal (before the first line) is thrown as its code; a connection that breaks off
   * mid-stream is UNREACHABLE. Ends quietly when `options.signal` aborts (how a followed export stops).
   * @throws StrongroomClientError UNKNOWN_OPERATION for a use case without a streamed route
   */
  async *lines(useCase: string, input: Readonly<Record<string, unknown>>, options: StreamOptions): AsyncGenerator<string> {
    if (this.closed) throw new StrongroomClientError('UNREACHABLE', 'the client is closed');
    const plan = HTTP_ROUTES[useCase]?.(input);
    if (plan?.lines !== true) throw new StrongroomClientError('UNKNOWN_OPERATION', `use case ${useCase} has no streamed HTTP route`);
    let response: Response;
    try {
      response = await this.open(plan, options, options.signal);
    } catch (e) {
      if (options.signal?.aborted) return;
      throw e;
    }
    if (!response.ok || response.body === null) throw errorOf(response, await response.text());
    options.onOpen?.((name) => response.headers.get(name));
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (e) {
          if (options.signal?.aborted) return;
          throw new StrongroomClientError('UNREACHABLE', `the stream from ${this.base} broke off: ${causeOf(e)}`, undefined, undefined, { cause: e });
        }
        if (chunk.done) break;
        buffer += chunk.value;
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) if (line !== '') yield line;
      }
      if (buffer !== '') yield buffer;
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }

  private async send(plan: HttpRequestPlan, options: CallOptions): Promise<Reply> {
    if (plan.endless === true) {
      throw new StrongroomClientError('INVALID_INPUT', 'a followed export streams for ever and cannot be read as one result: use exportAuditLog({ follow: true })');
    }
    const response = await this.open(plan, options);
    const text = await response.text();
    if (!response.ok) throw errorOf(response, text);
    const header = response.headers.get(POSITION_HEADER);
    const position = header !== null && /^\d{1,15}$/.test(header) ? Number(header) : undefined;
    if (plan.text) return { result: { text, contentType: response.headers.get('content-type') ?? 'text/plain' } };
    if (plan.lines) return { result: text.split('\n').filter((line) => line !== '').map((line) => parseJson(line, response.status)) };
    const json = parseJson(text, response.status);
    const result = plan.unwrap === undefined ? json : (json as Record<string, unknown> | null)?.[plan.unwrap];
    return { result, ...(position !== undefined && { position }) };
  }

  /** The request of a plan, with the token and read-your-writes headers. @throws UNREACHABLE when no HTTP answer came */
  private async open(plan: HttpRequestPlan, options: CallOptions, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}`, accept: plan.lines ? 'application/x-ndjson' : 'application/json' };
    if (options.minPosition !== undefined && options.minPosition > 0) headers[MIN_POSITION_HEADER] = String(options.minPosition);
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    let body: string | undefined;
    if (plan.body !== undefined) {
      body = JSON.stringify(plan.body);
      headers['content-type'] = 'application/json';
    }
    try {
      return await this.fetch(this.base + plan.path + queryString(plan.query), { method: plan.method, headers, body, ...(signal && { signal }) });
    } catch (e) {
      // fetch rejects only when no HTTP answer came (refused, reset, DNS, TLS); the cause says which.
      throw new StrongroomClientError('UNREACHABLE', `no answer from ${this.base}: ${causeOf(e)}`, undefined, undefined, { cause: e });
    }
  }
}

const queryString = (query: Readonly<Record<string, unknown>> | undefined): string => {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) params.append(key, String(one));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
};

const parseJson = (text: string, status: number): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw new StrongroomClientError('BAD_RESPONSE', `the server answered ${status} with a body that is not JSON`, status);
  }
};

/** The server's `{ error: { code, message } }`, or BAD_RESPONSE for an answer that is not Strongroom's. */
const errorOf = (response: Response, text: string): StrongroomClientError => {
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  const retryAfterSeconds = Number.isFinite(retryAfter) ? retryAfter : undefined;
  let error: { code?: unknown; message?: unknown } | undefined;
  try {
    error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
  } catch {
    error = undefined;
  }
  if (typeof error?.code === 'string' && typeof error.message === 'string') {
    return new StrongroomClientError(error.code as ClientErrorCode, error.message, response.status, retryAfterSeconds);
  }
  // A proxy or load balancer answered: a 502/503/504 from it means the server is not reachable now.
  const code: ClientErrorCode = response.status >= 502 && response.status <= 504 ? 'UNREACHABLE' : 'BAD_RESPONSE';
  return new StrongroomClientError(code, `the server answered ${response.status} ${response.statusText} without a Strongroom error`, response.status, retryAfterSeconds);
};

/** Node's fetch says only "fetch failed"; its cause has the system error code (ECONNREFUSED, ...). */
const causeOf = (e: unknown): string => {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return e instanceof Error ? e.message : 'network error';
};
