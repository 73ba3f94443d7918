import type { WhatIfGroup as ContractWhatIfGroup } from '../../../src/contracts/compliance.js';
/**
 * The what-if replay's answer arranged for people: past accesses a proposed policy would refuse, grouped
 * by principal, then by secret (capabilities merged), the most refused first. Pure (unit-tested).
 */

/** One group of ReplayPolicies' `whatIf.groups` (principal x env x secret x capability): the fields this arrangement reads. */
export type WhatIfGroup = Omit<ContractWhatIfGroup, 'first'>;

export interface WhatIfSecret {
  readonly env: string;
  /** Null: an environment-wide action (a listing, a key rotation). */
  readonly secret: string | null;
  readonly capabilities: readonly string[];
  readonly count: number;
  readonly last: string;
}

export interface WhatIfPrincipal {
  readonly principal: string;
  readonly count: number;
  readonly secrets: readonly WhatIfSecret[];
}

export const groupWhatIf = (groups: readonly WhatIfGroup[]): WhatIfPrincipal[] => {
  const byPrincipal = new Map<string, Map<string, { env: string; secret: string | null; capabilities: Set<string>; count: number; last: string }>>();
  for (const g of groups) {
    const secrets = byPrincipal.get(g.principal) ?? new Map();
    byPrincipal.set(g.principal, secrets);
    const key = `${g.env}\u0000${g.secret ?? ''}`;
    const s = secrets.get(key) ?? { env: g.env, secret: g.secret, capabilities: new Set<string>(), count: 0, last: '' };
    s.capabilities.add(g.capability);
    s.count += g.count;
    if (g.last > s.last) s.last = g.last;
    secrets.set(key, s);
  }
  const out: WhatIfPrincipal[] = [...byPrincipal].map(([principal, secrets]) => {
    const list = [...secrets.values()]
      .map((s) => ({ env: s.env, secret: s.secret, capabilities: [...s.capabilities].sort(), count: s.count, last: s.last }))
      .sort((a, b) => b.count - a.count || (a.secret ?? '').localeCompare(b.secret ?? ''));
    return { principal, count: list.reduce((n, s) => n + s.count, 0), secrets: list };
  });
  return out.sort((a, b) => b.count - a.count || a.principal.localeCompare(b.principal));
};
