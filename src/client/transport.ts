import type { AuditFeedMessage, AuditFeedOptions } from './audit-feed.js';
import type { StrongroomEvent, Unwatch, WatchOptions } from './events.js';

/**
 * How a client reaches a server: one use case, by its catalogue name, with its input as JSON (values as
 * `value` for text or `valueBase64` for bytes, as the HTTP API and the bus carry them). A transport turns
 * a failure into a StrongroomClientError with the server's code, `UNREACHABLE` when no server answered.
 */
export interface Transport {
  call(useCase: string, input: Readonly<Record<string, unknown>>, options: CallOptions): Promise<Reply>;
  /** Releases connections; calls after it fail. */
  close(): Promise<void>;
  /** Live change events of an environment (`*`: all), when the transport can deliver them. */
  watch?(env: string, options: WatchOptions, onEvent: (event: StrongroomEvent) => void): Promise<Unwatch>;
  /** The live audit trail (GET /v1/audit/live), when the transport is HTTP. */
  auditFeed?(options: AuditFeedOptions): AsyncIterable<AuditFeedMessage>;
  /**
   * A streamed use case's JSON lines as they arrive (GetAccessReport, ExportAuditLog), when the
   * transport can stream (HTTP). Without it the client reads the result whole (the bus collects it).
   */
  lines?(useCase: string, input: Readonly<Record<string, unknown>>, options: StreamOptions): AsyncIterable<string>;
  /** Called when the transport may have missed events (a dropped connection); returns an unsubscribe. */
  onGap?(listener: () => void): () => void;
}

export interface CallOptions {
  /** A key the server records with a write so that a retried write acts once (reused across retries). */
  readonly idempotencyKey?: string;
  /** Read-your-writes: the server waits until it has applied this log position before answering. */
  readonly minPosition?: number;
}

export interface StreamOptions extends CallOptions {
  /** Ends the stream: the iterator then finishes quietly. */
  readonly signal?: AbortSignal;
  /** Told the response's headers once the server accepted the request, before the first line. */
  readonly onOpen?: (header: (name: string) => string | null) => void;
}

/** A use case's result as JSON, and the log position of the write when the server reported one. */
export interface Reply {
  readonly result: unknown;
  readonly position?: number;
}
