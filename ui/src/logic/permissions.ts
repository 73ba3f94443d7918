/**
 * What the signed-in principal may do, as the console learns it. The API has no "what may I do"
 * question that does not itself act, so the console offers an action until the server refuses it once
 * (403 ACCESS_DENIED), then explains the refusal and stops offering every action that needs the same
 * capability in the same environment for the rest of the session. Pure and DOM-free (unit-tested).
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
} as const satisfies Record<string, Capability>;

export type Action = keyof typeof ACTION_CAPABILITY;

/** Capability refusals seen this session, as `capability@env`. Immutable: `refuse` returns a new set. */
export type Refusals = ReadonlySet<string>;

const keyOf = (capability: Capability, env: string): string => `${capability}@${env}`;

/** The refusals after the server refused `action` in `env` (EVERY_ENV for actions on the whole store). */
export const refuse = (refusals: Refusals, action: Action, env: string): Refusals => new Set([...refusals, keyOf(ACTION_CAPABILITY[action], env)]);

/**
 * Whether to offer `action` in `env`. An action refused for every environment (a whole-store action such
 * as the audit trail) is refused in each; a refusal in one environment says nothing of another.
 */
export const offers = (refusals: Refusals, action: Action, env: string): boolean => {
  const capability = ACTION_CAPABILITY[action];
  return !refusals.has(keyOf(capability, env)) && !refusals.has(keyOf(capability, EVERY_ENV));
};
