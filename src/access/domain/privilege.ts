import { CAPABILITIES } from '../../kernel/authorisation.js';
import type { PolicyRule } from './policy-document.js';
import { patternCovers, patternsMayOverlap } from './glob.js';

/**
 * Does a principal holding `held` rules hold everything that `granted` allows? No principal may create
 * a token or set a policy granting more than it holds itself (only root may). Sound: every
 * (capability, environment, secret) an allow rule of `granted` matches is matched by an allow rule of
 * `held` and by none of its deny rules. Patterns are compared, not enumerated (see glob.ts).
 */
export const holdsAll = (held: readonly PolicyRule[], granted: readonly PolicyRule[]): { ok: true } | { ok: false; why: string } => {
  const allows = held.filter((r) => r.effect === 'allow');
  const denies = held.filter((r) => r.effect === 'deny');
  for (const [index, rule] of granted.entries()) {
    if (rule.effect === 'deny') continue; // denials only take away
    for (const capability of rule.capabilities) {
      for (const env of rule.environments) {
        for (const secret of rule.secrets) {
          const covered = allows.some(
            (a) => a.capabilities.includes(capability) && a.environments.some((e) => patternCovers(e, env)) && a.secrets.some((s) => patternCovers(s, secret)),
          );
          const denied = denies.some(
            (d) => d.capabilities.includes(capability) && d.environments.some((e) => patternsMayOverlap(e, env)) && d.secrets.some((s) => patternsMayOverlap(s, secret)),
          );
          if (!covered || denied) {
            return { ok: false, why: `rule ${index} grants ${capability} on ${JSON.stringify(secret)} in ${JSON.stringify(env)}, which you do not hold` };
          }
        }
      }
    }
  }
  return { ok: true };
};

/** Every capability in every environment on every secret: what root holds, as rules. */
export const ROOT_RULES: readonly PolicyRule[] = [{ effect: 'allow', capabilities: [...CAPABILITIES], secrets: ['**'], environments: ['*'] }];
