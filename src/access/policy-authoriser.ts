import { Injectable } from '@nestjs/common';
import type { AuthorisationScope, Authoriser, Capability, Decision, Resource } from '../kernel/authorisation.js';
import type { Principal } from '../kernel/caller.js';
import { StrongroomProjection } from '../projection/strongroom-projection.js';
import { authorise } from './domain/authorise.js';

/** Decisions remembered per policy state; cleared when full (a cache, not a source of truth). */
const MAX_REMEMBERED = 100_000;

/**
 * The gate's authoriser: the pure `authorise` over this process's policy state. Decisions are
 * memoised against the state's epoch, so a principal reading the same secret again costs one map
 * look-up however many rules its policies hold (the benchmark compares 1,000 rules with one).
 */
@Injectable()
export class PolicyAuthoriser implements Authoriser {
  private remembered = new Map<string, Decision>();
  private epoch = -1;

  constructor(private readonly projection: StrongroomProjection) {}

  authorise(principal: Principal, capability: Capability, resource: Resource, scope: AuthorisationScope = 'exact'): Decision {
    if (principal.root) return ROOT;
    const access = this.projection.accessState;
    if (access.epoch !== this.epoch || this.remembered.size >= MAX_REMEMBERED) {
      this.remembered = new Map();
      this.epoch = access.epoch;
    }
    const key = `${principal.policies.join(',')}\u0000${capability}\u0000${scope}\u0000${resource.env}\u0000${resource.secret ?? ''}`;
    let decision = this.remembered.get(key);
    if (decision === undefined) {
      decision = authorise((policies) => access.rulesOf(policies), principal, capability, resource, scope);
      this.remembered.set(key, decision);
    }
    return decision;
  }
}

const ROOT: Decision = Object.freeze({ allowed: true, rule: 'root' });
