import { StrongroomClientError, type ClientErrorCode } from './errors.js';
import { readAuditFeed, type AuditFeedMessage, type AuditFeedOptions } from './audit-feed.js';
import { HTTP_ROUTES, type HttpRequestPlan } from './http-routes.js';
import type { CallOptions, Reply, Transport } from './transport.js';

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

  private async send(plan: HttpRequestPlan, options: CallOptions): Promise<Reply> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}`, accept: 'application/json' };
    if (options.minPosition !== undefined && options.minPosition > 0) headers[MIN_POSITION_HEADER] = String(options.minPosition);
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    let body: string | undefined;
    if (plan.body !== undefined) {
      body = JSON.stringify(plan.body);
      headers['content-type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await this.fetch(this.base + plan.path + queryString(plan.query), { method: plan.method, headers, body });
    } catch (e) {
      // fetch rejects only when no HTTP answer came (refused, reset, DNS, TLS); the cause says which.
      throw new StrongroomClientError('UNREACHABLE', `no answer from ${this.base}: ${causeOf(e)}`, undefined, undefined, { cause: e });
    }
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
