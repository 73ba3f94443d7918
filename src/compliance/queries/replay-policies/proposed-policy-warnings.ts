import { compilePattern } from '../../../access/domain/glob.js';
import type { PolicyDocument } from '../../../access/domain/policy-document.js';

/**
 * Warnings for a proposed policy's environment patterns that match none of `environments` (the ones
 * the log has): such a rule grants or refuses nothing, so a typo (`prdo` for `prod`) turns into "these
 * past actions would be refused" with no other sign. One line a pattern, naming the rules holding it.
 * A warning, not a refusal: a policy may name an environment before it is created.
 */
export const unmatchedEnvironmentPatterns = (document: PolicyDocument, environments: readonly string[]): string[] => {
  const rulesByPattern = new Map<string, number[]>();
  document.rules.forEach((rule, index) => {
    for (const pattern of rule.environments) rulesByPattern.set(pattern, [...(rulesByPattern.get(pattern) ?? []), index]);
  });
  const known = environments.length === 0 ? 'none' : environments.slice(0, 20).join(', ') + (environments.length > 20 ? ', …' : '');
  return [...rulesByPattern]
    .filter(([pattern]) => {
      const regex = compilePattern(pattern);
      return !environments.some((env) => regex.test(env));
    })
    .map(([pattern, rules]) => `environment ${JSON.stringify(pattern)} (rule ${rules.join(', ')}) matches no environment the log has (${known}): its rules apply to nothing`);
};
