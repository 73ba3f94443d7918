import { policyStream, POLICY_CATEGORY, tokenStream } from '../access/domain/access-events.js';
import { currentPolicy, evolvePolicy, evolveToken, type PolicyRecord, type PolicyStream, type TokenRecord, type TokenStream } from '../access/domain/access-state.js';
import { compileRule, type CompiledRule } from '../access/domain/authorise.js';
import { categoryOf, type RecordedEvent } from '../event-store/event-store.port.js';
import { parsePolicyEvent, parseTokenEvent } from './parse-events.js';

const NO_TOKEN: TokenStream = Object.freeze({ revision: -1, token: null });
const NO_POLICY: PolicyStream = Object.freeze({ revision: -1, policy: null });

/**
 * Tokens and policies folded from the log, with the indexes authentication and authorisation need:
 * tokens by id and (for legacy tokens) by digest, and each policy's rules in force, compiled once per
 * version. `epoch` changes whenever anything here does, so decisions can be memoised against it.
 */
export class AccessProjection {
  private readonly tokens = new Map<string, TokenStream>();
  private readonly legacyByHash = new Map<string, string>();
  private readonly policies = new Map<string, PolicyStream>();
  private readonly compiled = new Map<string, readonly CompiledRule[]>();
  private version = 0;

  get epoch(): number {
    return this.version;
  }

  /** @throws INTEGRITY_ERROR for an event whose shape is wrong (the caller logs and skips it). */
  apply(e: RecordedEvent): void {
    if (categoryOf(e.stream) === POLICY_CATEGORY) {
      const event = parsePolicyEvent(e);
      const next = evolvePolicy(this.policies.get(event.data.name) ?? NO_POLICY, event);
      this.policies.set(event.data.name, next);
      this.compiled.set(event.data.name, compile(next.policy));
    } else {
      const event = parseTokenEvent(e);
      const next = evolveToken(this.tokens.get(event.data.tokenId) ?? NO_TOKEN, event);
      this.tokens.set(event.data.tokenId, next);
      if (next.token?.legacy) this.legacyByHash.set(next.token.tokenHash, next.token.tokenId);
    }
    this.version++;
  }

  token(tokenId: string): TokenStream {
    return this.tokens.get(tokenId) ?? NO_TOKEN;
  }

  tokenStreamName(tokenId: string): string {
    return tokenStream(tokenId);
  }

  /** The legacy token whose digest is `hash`, if any. */
  legacyTokenId(hash: string): string | undefined {
    return this.legacyByHash.get(hash);
  }

  *allTokens(): IterableIterator<TokenRecord> {
    for (const { token } of this.tokens.values()) if (token) yield token;
  }

  policy(name: string): PolicyStream {
    return this.policies.get(name) ?? NO_POLICY;
  }

  policyStreamName(name: string): string {
    return policyStream(name);
  }

  *allPolicies(): IterableIterator<PolicyRecord> {
    for (const { policy } of this.policies.values()) if (policy) yield policy;
  }

  /** The rules in force of the named policies, in order; unknown or deleted policies grant nothing. */
  rulesOf(policies: readonly string[]): readonly CompiledRule[] {
    if (policies.length === 1) return this.compiled.get(policies[0] as string) ?? [];
    return policies.flatMap((name) => this.compiled.get(name) ?? []);
  }
}

const compile = (record: PolicyRecord | null): readonly CompiledRule[] => {
  const current = currentPolicy(record ?? undefined);
  if (!record || !current?.document) return [];
  return current.document.rules.map((rule, index) => compileRule(rule, record.name, current.version, index));
};
