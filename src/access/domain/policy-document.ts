import { z } from 'zod';
import { CAPABILITIES, type Capability } from '../../kernel/authorisation.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import { patternProblem } from './glob.js';

/**
 * A policy (DESIGN.md section 9): rules of capabilities x secret-name patterns x environment patterns.
 * Deny by default; a matching `deny` rule wins over any `allow`. Written as JSON or YAML:
 *
 *   rules:
 *     - allow: [read, list]          # capabilities, or ["*"] for all of them
 *       secrets: ["payments/**"]     # default ["**"]: every secret
 *       environments: [prod]         # default ["*"]: every environment
 *     - deny: [read]
 *       secrets: ["payments/admin/*"]
 */
export interface PolicyRule {
  readonly effect: 'allow' | 'deny';
  readonly capabilities: readonly Capability[];
  readonly secrets: readonly string[];
  readonly environments: readonly string[];
  readonly description?: string;
}

export interface PolicyDocument {
  readonly description?: string;
  readonly rules: readonly PolicyRule[];
}

/** Most rules a policy may hold; policies of thousands of rules stay fast (see the benchmark). */
export const MAX_POLICY_RULES = 10_000;

const capabilityList = z.array(z.enum([...CAPABILITIES, '*'], { error: `capabilities are ${CAPABILITIES.join(', ')} or "*"` })).min(1, 'a rule names at least one capability');

const patterns = (kind: 'secret' | 'environment') =>
  z
    .array(z.string())
    .min(1, `${kind} patterns must not be an empty list`)
    .superRefine((list, ctx) => {
      for (const p of list) {
        const problem = patternProblem(p, kind);
        if (problem) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(p.slice(0, 60))}: ${problem}` });
      }
    });

const ruleSchema = z
  .object({
    allow: capabilityList.optional(),
    deny: capabilityList.optional(),
    secrets: patterns('secret').optional(),
    environments: patterns('environment').optional(),
    description: z.string().max(500).optional(),
  })
  .strict()
  .refine((r) => (r.allow === undefined) !== (r.deny === undefined), 'a rule has exactly one of "allow" or "deny"');

const documentSchema = z
  .object({
    description: z.string().max(2000).optional(),
    rules: z.array(ruleSchema).max(MAX_POLICY_RULES, `a policy has at most ${MAX_POLICY_RULES} rules`),
  })
  .strict();

const expand = (caps: readonly (Capability | '*')[]): Capability[] => (caps.includes('*') ? [...CAPABILITIES] : [...new Set(caps as Capability[])]);

/**
 * Validates a policy document (already parsed from JSON or YAML) and normalises it: `allow`/`deny`
 * become `effect` and `capabilities` ("*" expanded), defaults are made explicit.
 * @throws INVALID_INPUT naming the first problem (the rule's index and field).
 */
export const parsePolicyDocument = (raw: unknown): PolicyDocument => {
  const result = documentSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'policy';
    throw new StrongroomError(ErrorCode.InvalidInput, `invalid policy: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return {
    ...(result.data.description !== undefined && { description: result.data.description }),
    rules: result.data.rules.map((r) => ({
      effect: r.allow !== undefined ? 'allow' : 'deny',
      capabilities: expand(r.allow ?? r.deny ?? []),
      secrets: r.secrets ?? ['**'],
      environments: r.environments ?? ['*'],
      ...(r.description !== undefined && { description: r.description }),
    })),
  };
};

/** The document as it is stored in the log and shown back: the authoring form (`allow:`/`deny:`). */
export const policyDocumentForm = (doc: PolicyDocument): object => ({
  ...(doc.description !== undefined && { description: doc.description }),
  rules: doc.rules.map((r) => ({
    [r.effect]: r.capabilities,
    secrets: r.secrets,
    environments: r.environments,
    ...(r.description !== undefined && { description: r.description }),
  })),
});

/** Policy names: lowercase letters, digits, `_`, `-`, `.`; 1-64 characters. `root` is reserved. */
const POLICY_NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

export const validatePolicyName = (name: unknown): string => {
  if (typeof name !== 'string' || !POLICY_NAME.test(name)) {
    throw new StrongroomError(ErrorCode.InvalidInput, 'a policy name is 1-64 lowercase letters, digits, "_", "." or "-", starting with a letter or digit');
  }
  if (name === 'root') throw new StrongroomError(ErrorCode.InvalidInput, '"root" is reserved: root tokens hold every capability without a policy');
  return name;
};
