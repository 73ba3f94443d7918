import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import type { Clock } from '../../src/shared/clock.js';
import { resolveOptions, type StrongroomOptions } from '../../src/config/options.js';
import { serveHttp, type HttpServer } from '../../src/interfaces/http/serve-http.js';
import { tempHome } from '../support/temp-home.js';

/** One request and its response, kept so a test can check afterwards that nothing leaked. */
export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export interface RequestOptions {
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as is (with `contentType`), for malformed and oversized bodies. */
  readonly rawBody?: string;
  readonly contentType?: string;
  /** `null` sends no Authorization header; default is the server's token. */
  readonly token?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Response {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Parsed body, `undefined` when not JSON. `any` only here, so assertions can index into bodies. */
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export class ApiClient {
  readonly exchanges: Exchange[] = [];

  constructor(
    readonly url: string,
    readonly token: string,
  ) {}

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? this.token : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) {
      body = options.rawBody;
      headers['content-type'] = options.contentType ?? 'application/json';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(this.url + path, { method, headers, body });
    const text = await res.text();
    this.exchanges.push({ method, path, status: res.status, headers: res.headers, text });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  /** The same server as another principal. */
  as = (token: string): ApiClient => new ApiClient(this.url, token);

  get = (path: string, options?: RequestOptions): Promise<Response> => this.request('GET', path, options);
  post = (path: string, body?: unknown, options?: RequestOptions): Promise<Response> => this.request('POST', path, { ...options, body });
  put = (path: string, body?: unknown, options?: RequestOptions): Promise<Response> => this.request('PUT', path, { ...options, body });
  delete = (path: string, options?: RequestOptions): Promise<Response> => this.request('DELETE', path, options);
}

export interface TestServer {
  readonly home: string;
  readonly options: StrongroomOptions;
  readonly server: HttpServer;
  readonly client: ApiClient;
  /** Every log line the server wrote (JSON, as pino writes it). */
  readonly logs: string[];
  stop(): Promise<void>;
}

/** A real HTTP server on a free port, in a fresh home, logging into memory. */
export const startTestServer = async (env: Readonly<Record<string, string>> = {}, clock?: Clock): Promise<TestServer> => {
  const { home, cleanup } = tempHome('http');
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  const options = resolveOptions({ env: { STRONGROOM_PORT: '0', ...env }, home });
  const server = await serveHttp(options, { logger, initialiseIfEmpty: true, ...(clock && { clock }) });
  const token = server.initialised?.apiToken;
  if (!token) throw new Error('a fresh home should have produced an API token');
  return {
    home,
    options,
    server,
    client: new ApiClient(server.url, token),
    logs,
    stop: async () => {
      await server.close();
      cleanup();
    },
  };
};

/**
 * A real HTTP server on a free port over a home prepared beforehand (e.g. one with a large log); its
 * token is read from the home's `api-token` file. `stop` closes the server and leaves the home.
 */
export const serveHome = async (home: string, env: Readonly<Record<string, string>> = {}): Promise<TestServer> => {
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  const options = resolveOptions({ env: { STRONGROOM_PORT: '0', ...env }, home });
  const server = await serveHttp(options, { logger, initialiseIfEmpty: false });
  const token = readFileSync(options.apiTokenFile, 'utf8').trim();
  return { home, options, server, client: new ApiClient(server.url, token), logs, stop: () => server.close() };
};
