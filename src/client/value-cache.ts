import { VALUE_CHANGING_EVENTS, type StrongroomEvent } from './events.js';
import type { SecretValue } from './strongroom-client.js';

/**
 * The SDK's optional cache of current values (issue 8): a read of a secret's current version is kept
 * until a change event for that secret arrives (docs/EVENTS.md), so a rotated value is never served for
 * longer than its event takes to arrive. Anything that might hide an event (the connection dropped)
 * empties the cache. A read that was in flight while any change event arrived is not cached (it may
 * hold the value from before the change).
 *
 * A cache hit is not an audited read: the server records the read that filled the cache, not the hits.
 */
export class ValueCache {
  private readonly entries = new Map<string, SecretValue>();
  /** Bumped by every eviction; a read caches its answer only if no eviction happened while it ran. */
  private generation = 0;
  hits = 0;

  constructor(private readonly maxEntries: number) {}

  get(env: string, ref: string): SecretValue | undefined {
    const value = this.entries.get(key(env, ref));
    if (value) this.hits++;
    return value;
  }

  /** The generation to pass back to `put`. */
  begin(): number {
    return this.generation;
  }

  put(env: string, ref: string, value: SecretValue, generation: number): void {
    if (generation !== this.generation) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key(env, ref), value);
  }

  /** Drops every entry of the secret an event is about, if it changes what a read returns. */
  onEvent(event: StrongroomEvent): void {
    if (!VALUE_CHANGING_EVENTS.has(event.type)) return;
    const secretId = typeof event.data.secretId === 'string' ? event.data.secretId : undefined;
    this.evict(event.env, secretId, event.name);
  }

  /** Drops the entries of a secret (by id or name) in an environment; called for events and own writes. */
  evict(env: string, secretId: string | undefined, name: string | undefined): void {
    this.generation++;
    for (const [k, v] of this.entries) {
      if (v.env === env && (v.id === secretId || v.name === name)) this.entries.delete(k);
    }
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}

const key = (env: string, ref: string): string => `${env}\u0000${ref}`;
