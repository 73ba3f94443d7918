import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EventStore, RecordedEvent, Subscription } from '../event-store/event-store.port.js';

/** What the metrics read from the running process on each scrape (no secret names, ever). */
export interface MetricsSources {
  /** Events this process's projection has applied (the global position). */
  appliedPosition(): number;
  /** Re-encryptions still to do per environment with a data-key rotation in progress. */
  rotationsRemaining(): ReadonlyMap<string, number>;
}

/** Event types counted by name; anything else is counted as `other`, so labels stay a known, small set. */
const COUNTED_TYPES = new Set([
  'SecretStored',
  'SecretUpdated',
  'SecretRotated',
  'SecretReEncrypted',
  'SecretDeleted',
  'SecretAccessed',
  'AccessDenied',
  'AuthenticationFailed',
  'TokenCreated',
  'TokenRevoked',
  'PolicySet',
  'KeyRotationStarted',
  'KeyRotationCompleted',
  'MasterKeyRotationStarted',
  'MasterKeyRotationCompleted',
]);

/**
 * Prometheus metrics of one Strongroom process, on a registry of its own (several servers in one test
 * process do not mix). Label values are route templates, methods, statuses, event types, environments
 * and reasons: never a secret's name, a value, a token or a key.
 *
 * Commit figures come from the log itself, not from inside the adapters: every commit reaches a
 * subscriber as one delivery (events per delivery = events per group commit), and the time an append
 * takes to resolve is measured around the store. Denials, failed authentications and reads are counted
 * from the events that record them, so the counters agree with the audit log by construction.
 */
export class StrongroomMetrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'strongroom_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'strongroom_http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to answering it (seconds), by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly appendDuration = new Histogram({
    name: 'strongroom_append_duration_seconds',
    help: 'Time an append takes to become durable (seconds; queueing in the group commit included), by outcome.',
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly commitEvents = new Histogram({
    name: 'strongroom_commit_events',
    help: 'Events per commit as this process sees them delivered (a group commit of many appends is one).',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096],
    registers: [this.registry],
  });
  readonly events = new Counter({
    name: 'strongroom_events_total',
    help: 'Events committed to the log since this process started, by type.',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly accessDenied = new Counter({
    name: 'strongroom_access_denied_total',
    help: 'Requests refused by policy (AccessDenied events), by capability and environment.',
    labelNames: ['capability', 'env'] as const,
    registers: [this.registry],
  });
  readonly authenticationFailures = new Counter({
    name: 'strongroom_authentication_failures_total',
    help: 'Failed authentications (the counts AuthenticationFailed events carry), by interface and reason.',
    labelNames: ['interface', 'reason'] as const,
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'strongroom_http_rate_limited_total',
    help: 'HTTP requests refused (429) because their client address failed to authenticate too often.',
    registers: [this.registry],
  });

  readonly busMessages = new Counter({
    name: 'strongroom_bus_messages_total',
    help: 'Bus requests answered (request-reply and the work queue), by use case and outcome (ok or the error code).',
    labelNames: ['use_case', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly busDuration = new Histogram({
    name: 'strongroom_bus_message_duration_seconds',
    help: 'Time from receiving a bus request to its reply (seconds), by use case.',
    labelNames: ['use_case'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly busEventsPublished = new Counter({
    name: 'strongroom_bus_events_published_total',
    help: 'Committed events this process published to JetStream (each log position once; metadata only).',
    registers: [this.registry],
  });

  private subscription: Subscription | null = null;

  constructor(
    private readonly store: EventStore,
    sources: MetricsSources,
  ) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'strongroom_projection_lag_events',
      help: "Events committed to the store that this process's projection has not applied yet.",
      registers: [this.registry],
      collect: async function (this: Gauge) {
        try {
          this.set(Math.max(0, (await store.headPosition()) - sources.appliedPosition()));
        } catch {
          this.set(Number.NaN); // the store cannot be read: unknown, not zero
        }
      },
    });
    new Gauge({
      name: 'strongroom_key_rotation_remaining_secrets',
      help: 'Secrets a data-key rotation in progress has still to re-encrypt, by environment (absent when none runs).',
      labelNames: ['env'] as const,
      registers: [this.registry],
      collect(this: Gauge<'env'>) {
        this.reset();
        for (const [env, remaining] of sources.rotationsRemaining()) this.set({ env }, remaining);
      },
    });
  }

  /** Starts counting what is committed from now on (one subscription; cheap handler). */
  async start(): Promise<void> {
    const from = await this.store.headPosition();
    this.subscription = this.store.subscribe({ from }, (events) => this.count(events));
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = null;
  }

  /** The text exposition format (Prometheus 0.0.4), and its content type. */
  async exposition(): Promise<{ text: string; contentType: string }> {
    return { text: await this.registry.metrics(), contentType: this.registry.contentType };
  }

  private count(events: readonly RecordedEvent[]): void {
    if (events.length === 0) return;
    this.commitEvents.observe(events.length);
    for (const e of events) {
      this.events.inc({ type: COUNTED_TYPES.has(e.type) ? e.type : 'other' });
      const d = (e.data ?? {}) as Record<string, unknown>;
      if (e.type === 'AccessDenied') this.accessDenied.inc({ capability: text(d.capability), env: text(d.env) });
      else if (e.type === 'AuthenticationFailed') {
        const count = typeof d.count === 'number' && d.count > 0 ? d.count : 1;
        this.authenticationFailures.inc({ interface: text(d.interface), reason: text(d.reason) }, count);
      }
    }
  }

  /**
   * The store as the write path sees it: the same store, with every append's time to durability
   * observed. (Delegation, not a subclass or a proxy: nothing else of the adapter is reachable here.)
   */
  instrument(store: EventStore): EventStore {
    const appendDuration = this.appendDuration;
    return {
      appendToStream: async (stream, events, options) => {
        const stop = appendDuration.startTimer();
        try {
          const result = await store.appendToStream(stream, events, options);
          stop({ outcome: 'ok' });
          return result;
        } catch (e) {
          stop({ outcome: (e as { code?: string }).code === 'REVISION_CONFLICT' ? 'conflict' : 'failed' });
          throw e;
        }
      },
      readStream: (stream, options) => store.readStream(stream, options),
      readAll: (options) => store.readAll(options),
      subscribe: (options, handler) => store.subscribe(options, handler),
      headPosition: () => store.headPosition(),
      catchUp: () => store.catchUp(),
      importRecorded: (events) => store.importRecorded(events),
      redact: (redactions) => store.redact(redactions),
      close: () => store.close(),
    };
  }
}

const text = (v: unknown): string => (typeof v === 'string' && v.length <= 64 ? v : 'unknown');
