/**
 * What the signed-in principal may do, as the console learns it. At sign-in it asks the server
 * (DescribeCaller, GET /v1/whoami: the gate's own decisions per environment) and offers only what those
 * rights grant. A right can still be narrowed while the tab is open, or hold on some secrets only, so a
 * 403 ACCESS_DENIED remains the fallback: the console explains it and stops offering every action that
 * needs the same capability in the same environment for the rest of the session. Pure and DOM-free
 * (unit-tested).
 */

/** The capabilities of src/kernel/authorisation.ts (repeated: the UI bundle must not load server modules). */
export type Capability = 'list' | 'describe' | 'read' | 'create' | 'update' | 'rotate' | 'delete' | 'audit' | 'admin';

/** The environment of actions that span every environment (the whole audit log, tokens, policies, keys). */
export const EVERY_ENV = '*';

/** Console actions and the capability each needs (from each use case's catalogue entry). */
export const ACTION_CAPABILITY = {
  reveal: 'read',
  newValue: 'update',
  rotateValue: 'rotate',
  promote: 'rotate',
  delete: 'delete',
  restore: 'delete',
  history: 'describe',
  timeline: 'audit',
  verify: 'audit',
  keyRotations: 'audit',
  rotateKey: 'admin',
  tokens: 'admin',
  policies: 'admin',
  signCheckpoint: 'audit',
  exportLog: 'audit',
  replay: 'audit',
} as const satisfies Record<string, Capability>;

export type Action = keyof typeof ACTION_CAPABILITY;

/** What DescribeCaller answers for one environment (`*`: actions spanning every environment). */
export interface EnvironmentRights {
  readonly env: string;
  /** Granted on every secret there and on environment-wide actions. */
  readonly all: readonly Capability[];
  /** Granted on at least one secret there (a superset of `all`). */
  readonly some: readonly Capability[];
}

/** The caller's rights by environment, or null when not known (then everything is offered until refused). */
export type Rights = ReadonlyMap<string, EnvironmentRights> | null;

/** DescribeCaller's `environments` as a look-up by environment. */
export const rightsOf = (environments: readonly EnvironmentRights[]): Rights => new Map(environments.map((e) => [e.env, e]));

/**
 * Whether `rights` grant `capability` in `env`. In one environment, a grant on some of its secrets is
 * enough to offer the action (the server decides per secret; a refusal is the fallback). For EVERY_ENV
 * only a grant over every environment counts. An environment missing from `rights` grants nothing.
 */
export const grants = (rights: Rights, capability: Capability, env: string): boolean => {
  if (rights === null) return true;
  if (rights.get(EVERY_ENV)?.all.includes(capability)) return true;
  return env !== EVERY_ENV && (rights.get(env)?.some.includes(capability) ?? false);
};

/** Capability refusals seen this session, as `capability@env`. Immutable: `refuse` returns a new set. */
export type Refusals = ReadonlySet<string>;

const keyOf = (capability: Capability, env: string): string => `${capability}@${env}`;

/** The refusals after the server refused `action` in `env` (EVERY_ENV for actions on the whole store). */
export const refuse = (refusals: Refusals, action: Action, env: string): Refusals => new Set([...refusals, keyOf(ACTION_CAPABILITY[action], env)]);

/**
 * Whether to offer `action` in `env`: the caller's rights grant it (see `grants`) and the server has not
 * refused it this session. An action refused for every environment (a whole-store action such as the
 * audit trail) is refused in each; a refusal in one environment says nothing of another.
 */
export const offers = (refusals: Refusals, action: Action, env: string, rights: Rights = null): boolean => {
  const capability = ACTION_CAPABILITY[action];
  return grants(rights, capability, env) && !refusals.has(keyOf(capability, env)) && !refusals.has(keyOf(capability, EVERY_ENV));
};
