import type { MatchedRule, Resource } from './authorisation.js';

/**
 * The gate's own evidence (DESIGN.md section 9: every decision is evidence). A refusal is recorded
 * before the caller hears 403, in the `access` category, which start-up never replays.
 */
export interface AccessDeniedData {
  readonly useCase: string;
  readonly capability: string;
  readonly env: string;
  /** The secret the action named (a name pattern when `scope` is `pattern`), or null for an environment-wide action. */
  readonly secret: string | null;
  /** Present (`pattern`) when `secret` is a pattern, as an audit report filtered to one names it (AuthorisationScope); absent: a name. */
  readonly scope?: 'pattern';
  readonly reason: string;
  /** The explicit deny rule that refused, or null when nothing allowed it (deny by default). */
  readonly rule: MatchedRule | null;
}

export const GATE_SCHEMA_VERSIONS: Readonly<Record<string, number>> = { AccessDenied: 1 };

/** `access-denied-<env>`: one stream per environment, appended at any revision. */
export const deniedStream = (resource: Resource): string => `access-denied-${resource.env}`;
