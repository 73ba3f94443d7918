import { POLICY_CATEGORY, TOKEN_CATEGORY } from '../access/domain/access-events.js';
import { authorise, type RulesOf } from '../access/domain/authorise.js';
import { categoryOf, type RecordedEvent } from '../event-store/event-store.port.js';
import type { Principal } from '../kernel/caller.js';
import { AccessProjection } from '../projection/access-projection.js';
import { DEFAULT_ENV } from '../secrets/domain/secret-rules.js';
import { SECRET_CATEGORY } from '../secrets/secret-streams.js';
import { isStrongroomError } from '../shared/errors.js';
import { yieldToEventLoop } from '../shared/yield-to-event-loop.js';
import { replayedAction } from './domain/replay-actions.js';
import type { FindingKind, ReplayFinding, ReplayResult, WhatIfGroup, WhatIfResult } from '../contracts/compliance.js';
export type { FindingKind, ReplayFinding, ReplayResult, WhatIfGroup, WhatIfResult } from '../contracts/compliance.js';

/**
 * Policy replay (issue 9, section 3): one pass over the log that folds tokens and policies as it goes
 * and re-decides every recorded action with the gate's own pure `authorise`, over the state *before*
 * that event (the state the gate decided on). An honest log gives no findings; the counts are the
 * evidence. With `against`, each allowed action is also decided over other rules (the current
 * policies, or a proposed one) and the ones they would refuse are grouped by principal and secret.
 */

/** The rules of a what-if, the name the report gives them, and the warnings about them (WhatIfResult). */
export interface WhatIfRules {
  readonly name: string;
  readonly rulesOf: RulesOf;
  readonly warnings?: readonly string[];
}

export const MAX_FINDINGS = 10_000;

export interface ReplayWindow {
  readonly fromPosition?: number;
  readonly toPosition?: number;
  readonly fromTime?: number;
  readonly toTime?: number;
}

/** The principal of an event as the gate saw it, or a finding when the log cannot name one it would admit. */
const principalOf = (e: RecordedEvent, access: AccessProjection): Principal | { readonly finding: FindingKind; readonly detail: string } => {
  const m = (e.metadata ?? {}) as Partial<RecordedEvent['metadata']>;
  if (m.tokenId) {
    const token = access.token(m.tokenId).token;
    if (!token) return { finding: 'token-unknown', detail: `token ${m.tokenId} was not created before this` };
    if (token.revokedAt !== null) return { finding: 'token-revoked', detail: `token ${m.tokenId} was revoked at ${token.revokedAt}` };
    if (token.expiresAt !== null && m.occurredAt !== undefined && Date.parse(token.expiresAt) <= Date.parse(m.occurredAt)) {
      return { finding: 'token-expired', detail: `token ${m.tokenId} expired at ${token.expiresAt}` };
    }
    return { kind: token.kind, name: token.principal, tokenId: token.tokenId, root: token.root, policies: token.policies };
  }
  // The local operator holds the master key: root. Before principals existed, `local:` and `token:`
  // actors were the master-key holder and the one (root) API token.
  const actor = m.actor ?? '';
  if (m.actorKind === 'local' || (m.actorKind === undefined && (actor.startsWith('local:') || actor.startsWith('token:')))) {
    return { kind: 'local', name: actor, tokenId: null, root: true, policies: [] };
  }
  return { finding: 'unattributed', detail: `the event names no token and actor ${actor.slice(0, 60)} is not the local operator` };
};

/** What a range's replay passes on to the next: plain data, so it can be posted from a worker thread. */
export interface ReplayPartial {
  readonly eventsRead: number;
  readonly head: number;
  readonly checked: number;
  readonly confirmedAllowed: number;
  readonly confirmedDenied: number;
  readonly system: number;
  /** In the order first seen. */
  readonly notChecked: readonly (readonly [string, number])[];
  readonly findings: readonly ReplayFinding[];
  readonly findingsTotal: number;
  readonly wouldDeny: number;
  /** What-if groups by key, in the order first seen. */
  readonly groups: readonly (readonly [string, WhatIfGroup])[];
}

type Group = { -readonly [K in keyof WhatIfGroup]: WhatIfGroup[K] };

/**
 * The replay's fold, one event at a time: the policy state (tokens, policies, secret names) and the
 * counts. A fold over a range of the log, caught up first on the state before it (`takeEffect` over
 * the token, policy and secret events before the range), gives counts that merge (`merge`, in log
 * order) into exactly those of one fold over the whole log: how worker threads split a replay.
 */
export class ReplayFold {
  private readonly access = new AccessProjection();
  private readonly names = new Map<string, { env: string; name: string }>();
  private readonly timed: boolean;
  private readonly rulesNow: RulesOf = (policies) => this.access.rulesOf(policies);
  private eventsRead = 0;
  private head = 0;
  private checked = 0;
  private confirmedAllowed = 0;
  private confirmedDenied = 0;
  private system = 0;
  private wouldDeny = 0;
  private findingsTotal = 0;
  private notChecked = new Map<string, number>();
  private findings: ReplayFinding[] = [];
  private groups = new Map<string, Group>();

  constructor(
    private readonly window: ReplayWindow,
    private readonly against?: WhatIfRules,
  ) {
    this.timed = window.fromTime !== undefined || window.toTime !== undefined;
  }

  /** Re-decides `e` when it is in the window, then lets it take effect. False once past `toPosition`. */
  next(e: RecordedEvent): boolean {
    const { window } = this;
    if (window.toPosition !== undefined && e.position > window.toPosition) return false;
    this.eventsRead++;
    this.head = e.position;
    const m = (e.metadata ?? {}) as Partial<RecordedEvent['metadata']>;
    const at = m.occurredAt ?? '';
    const t = this.timed ? Date.parse(at) : 0;
    const inWindow =
      (window.fromPosition === undefined || e.position >= window.fromPosition) &&
      (window.fromTime === undefined || t >= window.fromTime) &&
      (window.toTime === undefined || t <= window.toTime);
    const data = (e.data ?? {}) as Record<string, unknown>;
    if (inWindow) this.decide(e, m, at, data);
    // Then the event takes effect: the next decision is made over the state it leaves.
    this.takeEffect(e);
    return true;
  }

  private decide(e: RecordedEvent, m: Partial<RecordedEvent['metadata']>, at: string, data: Record<string, unknown>): void {
    if (m.actorKind === 'system' || m.interface === 'system') {
      this.system++;
      return;
    }
    const action = replayedAction(e.type, data, (id) => this.names.get(id));
    if (!action) {
      this.notChecked.set(e.type, (this.notChecked.get(e.type) ?? 0) + 1);
      return;
    }
    this.checked++;
    const who = principalOf(e, this.access);
    const base = { position: e.position, at, type: e.type, principal: m.actor ?? 'unknown', capability: action.capability, env: action.resource.env, secret: action.resource.secret };
    if ('finding' in who) {
      // A refusal by a token that could not authenticate is what the gate should have done.
      if (action.refused) this.confirmedDenied++;
      else this.find({ kind: who.finding, ...base, detail: who.detail });
      return;
    }
    const decision = authorise(this.rulesNow, who, action.capability, action.resource, action.scope);
    if (action.refused) {
      if (decision.allowed) this.find({ kind: 'denied-but-allowed', ...base, detail: 'recorded as refused, but the policy of its time allowed it' });
      else this.confirmedDenied++;
      return;
    }
    if (!decision.allowed) {
      this.find({ kind: 'not-allowed', ...base, detail: decision.reason });
      return;
    }
    this.confirmedAllowed++;
    const against = this.against;
    if (against && !who.root && !authorise(against.rulesOf, who, action.capability, action.resource, action.scope).allowed) {
      this.wouldDeny++;
      const key = `${who.name}\u0000${action.resource.env}\u0000${action.resource.secret ?? ''}\u0000${action.capability}`;
      const g = this.groups.get(key);
      if (g) {
        g.count++;
        g.last = at;
      } else this.groups.set(key, { principal: who.name, env: action.resource.env, secret: action.resource.secret, capability: action.capability, count: 1, first: at, last: at });
    }
  }

  private find(f: ReplayFinding): void {
    this.findingsTotal++;
    if (this.findings.length < MAX_FINDINGS) this.findings.push(f);
  }

  /**
   * Applies what `e` changes in the policy state (a token or policy event, a secret's name) and nothing
   * else: the catch-up of a thread over the events before its range (only the token, policy and
   * secret categories change the state, see REPLAY_STATE_CATEGORIES).
   */
  takeEffect(e: RecordedEvent): void {
    const category = categoryOf(e.stream);
    if (category === TOKEN_CATEGORY || category === POLICY_CATEGORY) {
      try {
        this.access.apply(e);
      } catch (cause) {
        if (!isStrongroomError(cause)) throw cause; // the projection skips it too (it grants nothing)
      }
    } else if (category === SECRET_CATEGORY && e.type === 'SecretStored') {
      const data = (e.data ?? {}) as Record<string, unknown>;
      if (typeof data.secretId === 'string' && typeof data.name === 'string') {
        this.names.set(data.secretId, { env: typeof data.env === 'string' ? data.env : DEFAULT_ENV, name: data.name });
      }
    }
  }

  /** The counts since the last `take` (the state stays), to merge into the fold of the ranges before. */
  take(): ReplayPartial {
    const partial: ReplayPartial = {
      eventsRead: this.eventsRead,
      head: this.head,
      checked: this.checked,
      confirmedAllowed: this.confirmedAllowed,
      confirmedDenied: this.confirmedDenied,
      system: this.system,
      notChecked: [...this.notChecked],
      findings: this.findings,
      findingsTotal: this.findingsTotal,
      wouldDeny: this.wouldDeny,
      groups: [...this.groups],
    };
    this.eventsRead = this.checked = this.confirmedAllowed = this.confirmedDenied = this.system = this.wouldDeny = this.findingsTotal = 0;
    this.notChecked = new Map();
    this.findings = [];
    this.groups = new Map();
    return partial;
  }

  /** Adds the counts of the range right after everything this fold has counted. */
  merge(p: ReplayPartial): void {
    this.eventsRead += p.eventsRead;
    if (p.eventsRead > 0) this.head = p.head;
    this.checked += p.checked;
    this.confirmedAllowed += p.confirmedAllowed;
    this.confirmedDenied += p.confirmedDenied;
    this.system += p.system;
    this.wouldDeny += p.wouldDeny;
    this.findingsTotal += p.findingsTotal;
    for (const [type, n] of p.notChecked) this.notChecked.set(type, (this.notChecked.get(type) ?? 0) + n);
    for (const f of p.findings) if (this.findings.length < MAX_FINDINGS) this.findings.push(f);
    for (const [key, n] of p.groups) {
      const g = this.groups.get(key);
      if (g) {
        g.count += n.count;
        g.last = n.last;
      } else this.groups.set(key, { ...n });
    }
  }

  /** The replay's result over everything folded or merged. */
  result(): ReplayResult {
    const against = this.against;
    return {
      eventsRead: this.eventsRead,
      head: this.head,
      checked: this.checked,
      confirmedAllowed: this.confirmedAllowed,
      confirmedDenied: this.confirmedDenied,
      system: this.system,
      notChecked: Object.fromEntries(this.notChecked),
      findings: this.findings,
      findingsTotal: this.findingsTotal,
      ...(against && {
        whatIf: {
          against: against.name,
          wouldDeny: this.wouldDeny,
          groups: [...this.groups.values()].sort((a, b) => b.count - a.count || (a.principal < b.principal ? -1 : 1)),
          warnings: against.warnings ?? [],
        },
      }),
    };
  }
}

/** The categories whose events change the state replay decides over (tokens, policies, secret names). */
export const REPLAY_STATE_CATEGORIES: readonly string[] = [TOKEN_CATEGORY, POLICY_CATEGORY, SECRET_CATEGORY];

/** Replays `pages` (the whole log, in order). `against` is a what-if: other rules, named for the report. */
export const replayPolicies = async (
  pages: AsyncIterable<readonly RecordedEvent[]>,
  window: ReplayWindow,
  against?: WhatIfRules,
  onProgress: (position: number) => void = () => undefined,
): Promise<ReplayResult> => {
  const fold = new ReplayFold(window, against);
  for await (const page of pages) {
    let more = true;
    for (const e of page) if (!(more = fold.next(e))) break;
    const last = page.at(-1);
    if (last) onProgress(last.position);
    if (!more || (window.toPosition !== undefined && last && last.position >= window.toPosition)) break;
    // A page is a few milliseconds of work: let other requests run between pages (ARCHITECTURE, Long operations).
    await yieldToEventLoop();
  }
  return fold.result();
};

/** Replays ranges already decided elsewhere (worker threads), in log order. */
export const mergeReplay = async (partials: AsyncIterable<ReplayPartial>, window: ReplayWindow, onProgress: (position: number) => void = () => undefined): Promise<ReplayResult> => {
  const fold = new ReplayFold(window);
  for await (const p of partials) {
    fold.merge(p);
    if (p.eventsRead > 0) onProgress(p.head);
  }
  return fold.result();
};
