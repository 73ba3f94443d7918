import type { Principal } from '../kernel/caller.js';
import type { AccessProjection } from '../projection/access-projection.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import type { PolicyRule } from './domain/policy-document.js';
import { holdsAll } from './domain/privilege.js';

/** The rules `principal` holds now (root: everything). */
const heldBy = (principal: Principal, access: AccessProjection): readonly PolicyRule[] | 'root' =>
  principal.root ? 'root' : access.rulesOf(principal.policies).map((r) => r.rule);

/**
 * Refuses a grant (the rules of policies to attach to a token, or a policy document to set) that
 * `principal` does not hold itself: no principal can hand out more than it has. Root may grant anything.
 * @throws ACCESS_DENIED saying which rule goes beyond the principal's own.
 */
export const requireHeld = (principal: Principal, access: AccessProjection, granted: readonly PolicyRule[], what: string): void => {
  const held = heldBy(principal, access);
  if (held === 'root') return;
  const check = holdsAll(held, granted);
  if (!check.ok) throw new StrongroomError(ErrorCode.AccessDenied, `${principal.name} may not ${what}: ${check.why}`);
};
