import type { RecordedEvent } from '../../../event-store/event-store.port.js';

/** Events that are not about one environment (tokens, policies, master and audit keys, authentication). */
export const GLOBAL_ENV = '_global';

const DEFAULT_ENV = 'default';

/**
 * What a published event needs that its stored data may not say: the environment (a subject token)
 * and, for a secret, its name. Folded from the log as the publisher reads it: secrets from their first
 * event, key rotations and data keys from theirs. Small (one entry per secret, rotation and data key).
 */
export class EventIndex {
  private readonly secrets = new Map<string, { env: string; name: string }>();
  private readonly rotations = new Map<string, string>();
  private readonly keys = new Map<string, string>();
  /** The last position folded in. */
  position = 0;

  /** Folds one event in (idempotent for a position already folded). */
  add(event: RecordedEvent): void {
    if (event.position <= this.position) return;
    this.position = event.position;
    const data = event.data as Record<string, unknown>;
    const env = typeof data.env === 'string' ? data.env : DEFAULT_ENV;
    if (event.type === 'SecretStored' && typeof data.secretId === 'string' && typeof data.name === 'string') this.secrets.set(data.secretId, { env, name: data.name });
    if (event.type === 'KeyRotationStarted' && typeof data.rotationId === 'string') this.rotations.set(data.rotationId, env);
    if (event.type === 'DataKeyCreated' && typeof data.keyId === 'string') this.keys.set(data.keyId, env);
  }

  /** The environment and, for a secret, the name an event is about. */
  placeOf(event: RecordedEvent): { env: string; name?: string } {
    const data = event.data as Record<string, unknown>;
    const secret = typeof data.secretId === 'string' ? this.secrets.get(data.secretId) : undefined;
    if (secret) return secret;
    if (typeof data.env === 'string') return { env: data.env, ...(typeof data.name === 'string' && event.type === 'SecretAccessed' && { name: data.name }) };
    const rotation = typeof data.rotationId === 'string' ? this.rotations.get(data.rotationId) : undefined;
    if (rotation !== undefined) return { env: rotation };
    const key = typeof data.keyId === 'string' ? this.keys.get(data.keyId) : undefined;
    if (key !== undefined) return { env: key };
    // Secret events that predate environments name none and belong to `default`; the rest is global.
    return { env: event.stream.startsWith('secret-') ? DEFAULT_ENV : GLOBAL_ENV };
  }
}
