import { ALL_ENVIRONMENTS, type AuthorisationScope, type Capability, type Resource } from '../../kernel/authorisation.js';

/**
 * What each recorded action needed from the gate, by event type (for policy replay): the capability
 * and resource of the use case that records it, as the catalogue declares them (src/catalogue.ts).
 * Pure. `names` gives a secret's environment and name by id (only SecretStored carries the name).
 */

export interface ReplayedAction {
  readonly capability: Capability;
  readonly resource: Resource;
  readonly scope: AuthorisationScope;
  /** An AccessDenied: the gate refused it, so replay expects a refusal. */
  readonly refused: boolean;
}

const DEFAULT_ENV = 'default';

/** Events that record a change to one secret, and the capability of the use cases that record them. */
const SECRET_CHANGES: Readonly<Record<string, Capability>> = {
  SecretStored: 'create',
  SecretUpdated: 'update',
  SecretMetadataUpdated: 'update',
  SecretRotated: 'rotate',
  SecretVersionPending: 'rotate',
  SecretVersionPromoted: 'rotate',
  SecretStageMoved: 'rotate',
  SecretStageRemoved: 'rotate',
  SecretDeleted: 'delete',
  SecretRestored: 'delete',
  SecretVersionsDestroyed: 'admin',
};

/** Administrative events over the whole store (tokens, policies, the master key). */
const STORE_ADMIN: ReadonlySet<string> = new Set([
  'TokenCreated',
  'TokenRotated',
  'TokenRevoked',
  'PolicySet',
  'PolicyDeleted',
  'MasterKeyRotationStarted',
  'MasterKeyRotationCompleted',
  'MasterKeyRotationCancelled',
  'AuditCheckpointSigned',
]);

/** Administrative events of one environment (its keys). */
const ENV_ADMIN: ReadonlySet<string> = new Set(['EnvironmentCreated', 'DataKeyCreated', 'KeyRotationStarted']);

type Data = Readonly<Record<string, unknown>>;
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The action an event records, or null when it records none a principal asked for (a key event of a
 * rotation already checked at its start, a timer's event, an event of a type replay does not know).
 */
export const replayedAction = (type: string, data: Data, names: (secretId: string) => { env: string; name: string } | undefined): ReplayedAction | null => {
  const action = (capability: Capability, resource: Resource, scope: AuthorisationScope = 'exact', refused = false): ReplayedAction => ({ capability, resource, scope, refused });
  if (type === 'SecretAccessed') {
    const name = text(data.name) ?? names(text(data.secretId) ?? '')?.name;
    return name === undefined ? null : action('read', { env: text(data.env) ?? DEFAULT_ENV, secret: name });
  }
  if (type === 'AccessDenied') {
    const capability = text(data.capability) as Capability | undefined;
    if (capability === undefined) return null;
    return action(capability, { env: text(data.env) ?? DEFAULT_ENV, secret: text(data.secret) ?? null }, data.scope === 'pattern' ? 'pattern' : 'exact', true);
  }
  if (type === 'SecretsListed') return action('list', { env: text(data.env) ?? DEFAULT_ENV, secret: null }, 'any-in-env');
  if (type === 'AuditTrailRead') {
    // As each audit use case names its resource: a report by its env and secret pattern, a past state by
    // the environment of its secrets (`secretsOf`), the trail of one secret by its ref.
    if (data.kind === 'report') {
      const pattern = text(data.secret);
      return action('audit', { env: text(data.env) ?? ALL_ENVIRONMENTS, secret: pattern ?? null }, pattern === undefined ? 'exact' : 'pattern');
    }
    if (data.kind === 'state') return action('audit', { env: text(data.secretsOf) ?? ALL_ENVIRONMENTS, secret: null });
    const env = text(data.env);
    const ref = text(data.ref);
    const secret = ref === undefined ? null : (names(ref)?.name ?? ref);
    return action('audit', env === undefined ? { env: ALL_ENVIRONMENTS, secret: null } : { env, secret });
  }
  const change = SECRET_CHANGES[type];
  if (change !== undefined) {
    const id = text(data.secretId) ?? '';
    const known = names(id);
    const name = text(data.name) ?? known?.name;
    if (name === undefined) return null;
    return action(change, { env: text(data.env) ?? known?.env ?? DEFAULT_ENV, secret: name });
  }
  if (STORE_ADMIN.has(type)) return action('admin', { env: ALL_ENVIRONMENTS, secret: null });
  if (ENV_ADMIN.has(type)) return action('admin', { env: text(data.env) ?? DEFAULT_ENV, secret: null });
  return null;
};
