import type { AuthorisationScope, Capability, Decision, Resource } from '../../kernel/authorisation.js';
import type { Principal } from '../../kernel/caller.js';
import type { PolicyRule } from './policy-document.js';
import { compilePattern, patternCovers, patternsMayOverlap } from './glob.js';

/** A rule ready to match: its patterns compiled, and where it came from (policy, version, index). */
export interface CompiledRule {
  readonly rule: PolicyRule;
  readonly policy: string;
  readonly version: number;
  readonly index: number;
  readonly secrets: readonly RegExp[];
  readonly environments: readonly RegExp[];
  /** The rule covers every secret (`**`), so it applies to environment-wide actions too. */
  readonly allSecrets: boolean;
}

export const compileRule = (rule: PolicyRule, policy: string, version: number, index: number): CompiledRule => ({
  rule,
  policy,
  version,
  index,
  secrets: rule.secrets.map(compilePattern),
  environments: rule.environments.map(compilePattern),
  allSecrets: rule.secrets.includes('**'),
});

/** The rules in force for a principal: every rule of every policy it holds, in order. */
export type RulesOf = (policies: readonly string[]) => readonly CompiledRule[];

const matches = (r: CompiledRule, capability: Capability, resource: Resource, scope: AuthorisationScope, effect: 'allow' | 'deny'): boolean => {
  if (r.rule.effect !== effect || !r.rule.capabilities.includes(capability)) return false;
  // Listing across every environment asks whether any environment is allowed.
  const anyEnv = scope === 'any-in-env' && resource.env === '*';
  if (!anyEnv && !r.environments.some((p) => p.test(resource.env))) return false;
  if (resource.secret !== null && scope === 'pattern') {
    // Every name the pattern matches must be allowed; a deny on any of them refuses the whole pattern.
    const pattern = resource.secret;
    return effect === 'allow' ? r.rule.secrets.some((p) => patternCovers(p, pattern)) : r.rule.secrets.some((p) => patternsMayOverlap(p, pattern));
  }
  if (resource.secret !== null) return r.secrets.some((p) => p.test(resource.secret as string));
  // An environment-wide action: a listing is allowed by a rule on some secrets (the handler filters
  // what it shows); anything else, and any denial of it, needs a rule on every secret.
  return effect === 'allow' && scope === 'any-in-env' ? true : r.allSecrets;
};

/**
 * The one authorisation function (DESIGN.md section 9), shared by the gate and by compliance replay.
 * Pure: the same policy state, principal, capability and resource always give the same decision.
 * Root principals hold everything. Otherwise a matching deny rule wins; then the first matching allow
 * rule decides; and nothing matching means denied (deny by default).
 */
export const authorise = (
  rulesOf: RulesOf,
  principal: Principal,
  capability: Capability,
  resource: Resource,
  scope: AuthorisationScope = 'exact',
): Decision => {
  if (principal.root) return { allowed: true, rule: 'root' };
  const rules = rulesOf(principal.policies);
  for (const r of rules) {
    if (matches(r, capability, resource, scope, 'deny')) {
      return {
        allowed: false,
        rule: { policy: r.policy, version: r.version, rule: r.index },
        reason: `denied by rule ${r.index} of policy ${r.policy} (version ${r.version})`,
      };
    }
  }
  for (const r of rules) {
    if (matches(r, capability, resource, scope, 'allow')) return { allowed: true, rule: { policy: r.policy, version: r.version, rule: r.index } };
  }
  return { allowed: false, rule: null, reason: principal.policies.length === 0 ? 'it holds no policy' : 'no rule of its policies allows it' };
};
