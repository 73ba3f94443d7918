import type { Principal } from './caller.js';

/**
 * The shapes the gate works with (DESIGN.md section 9). The decision itself is the access module's pure
 * `authorise` function; the kernel only knows this interface, so nothing here imports a module.
 */

/** What a policy can grant: defined in the wire contract, which callers (the SDK) share. */
export { CAPABILITIES, type Capability } from '../contracts/access.js';
import type { Capability } from '../contracts/access.js';

/**
 * What an action is applied to: an environment and a secret name within it, or `null` for the whole
 * environment (an action on every secret, or on no secret in particular, such as a key rotation).
 */
export interface Resource {
  readonly env: string;
  readonly secret: string | null;
}

/** The rule that decided: a policy's name and version and the rule's index in it (0-based). */
export interface MatchedRule {
  readonly policy: string;
  readonly version: number;
  readonly rule: number;
}

export type Decision =
  | { readonly allowed: true; readonly rule: MatchedRule | 'root' | 'self' }
  | { readonly allowed: false; readonly rule: MatchedRule | null; readonly reason: string };

/**
 * `exact`: the action touches exactly `resource`. `any-in-env`: the action lists what the principal may
 * see in an environment (allowed when any rule grants the capability there; the handler filters items).
 * `pattern`: `resource.secret` is a name pattern (`payments/**`) and the action touches every secret it
 * matches (an audit report filtered to it): allowed when an allow rule's pattern covers the whole
 * pattern, refused when a deny rule's pattern may overlap it.
 */
export type AuthorisationScope = 'exact' | 'any-in-env' | 'pattern';

export interface Authoriser {
  /** Pure over the policy state of this process's projection; never throws for a denial. */
  authorise(principal: Principal, capability: Capability, resource: Resource, scope?: AuthorisationScope): Decision;
}

/**
 * The gate's decision for a use case that needs no capability (`capability: null`): a question about the
 * caller's own rights, which any authenticated principal may ask because it reveals nothing else.
 */
export const SELF_DECISION: Decision = Object.freeze({ allowed: true, rule: 'self' });

/** The environment of actions that span every environment (the whole audit log, the master key, tokens). */
export const ALL_ENVIRONMENTS = '*';
