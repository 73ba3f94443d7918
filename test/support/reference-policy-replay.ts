import { POLICY_CATEGORY, TOKEN_CATEGORY } from '../../src/access/domain/access-events.js';
import { authorise, type RulesOf } from '../../src/access/domain/authorise.js';
import { categoryOf, type RecordedEvent } from '../../src/event-store/event-store.port.js';
import type { Principal } from '../../src/kernel/caller.js';
import { AccessProjection } from '../../src/projection/access-projection.js';
import { DEFAULT_ENV } from '../../src/secrets/domain/secret-rules.js';
import { isStrongroomError } from '../../src/shared/errors.js';
import { yieldToEventLoop } from '../../src/shared/yield-to-event-loop.js';
import { replayedAction } from '../../src/compliance/domain/replay-actions.js';

/**
 * Policy replay as it was first written (kept verbatim as the oracle the split, threaded replay is compared with).
 * Policy replay (issue 9, section 3): one pass over the log that folds tokens and policies as it goes
 * and re-decides every recorded action with the gate's own pure `authorise`, over the state *before*
 * that event (the state the gate decided on). An honest log gives no findings; the counts are the
 * evidence. With `against`, each allowed action is also decided over other rules (the current
 * policies, or a proposed one) and the ones they would refuse are grouped by principal and secret.
 */

import type { FindingKind, ReplayFinding, ReplayResult, ReplayWindow } from '../../src/compliance/policy-replay.js';

const MAX_FINDINGS = 10_000;
const SLICE = 2_000;

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

/** Replays `pages` (the whole log, in order). `against` is a what-if: other rules, named for the report. */
export const referenceReplayPolicies = async (
  pages: AsyncIterable<readonly RecordedEvent[]>,
  window: ReplayWindow,
  against?: { readonly name: string; readonly rulesOf: RulesOf; readonly warnings?: readonly string[] },
  onProgress: (position: number) => void = () => undefined,
): Promise<ReplayResult> => {
  const access = new AccessProjection();
  const names = new Map<string, { env: string; name: string }>();
  const notChecked: Record<string, number> = {};
  const findings: ReplayFinding[] = [];
  const groups = new Map<string, { principal: string; env: string; secret: string | null; capability: string; count: number; first: string; last: string }>();
  let findingsTotal = 0;
  let eventsRead = 0;
  let head = 0;
  let checked = 0;
  let confirmedAllowed = 0;
  let confirmedDenied = 0;
  let system = 0;
  let wouldDeny = 0;
  let slice = 0;
  const timed = window.fromTime !== undefined || window.toTime !== undefined;
  const rulesNow: RulesOf = (policies) => access.rulesOf(policies);
  const find = (f: ReplayFinding): void => {
    findingsTotal++;
    if (findings.length < MAX_FINDINGS) findings.push(f);
  };
  for await (const page of pages) {
    for (const e of page) {
      if (window.toPosition !== undefined && e.position > window.toPosition) break;
      eventsRead++;
      head = e.position;
      const m = (e.metadata ?? {}) as Partial<RecordedEvent['metadata']>;
      const at = m.occurredAt ?? '';
      const t = timed ? Date.parse(at) : 0;
      const inWindow =
        (window.fromPosition === undefined || e.position >= window.fromPosition) &&
        (window.fromTime === undefined || t >= window.fromTime) &&
        (window.toTime === undefined || t <= window.toTime);
      const data = (e.data ?? {}) as Record<string, unknown>;
      if (inWindow) {
        if (m.actorKind === 'system' || m.interface === 'system') system++;
        else {
          const action = replayedAction(e.type, data, (id) => names.get(id));
          if (!action) notChecked[e.type] = (notChecked[e.type] ?? 0) + 1;
          else {
            checked++;
            const who = principalOf(e, access);
            const base = { position: e.position, at, type: e.type, principal: m.actor ?? 'unknown', capability: action.capability, env: action.resource.env, secret: action.resource.secret };
            if ('finding' in who) {
              // A refusal by a token that could not authenticate is what the gate should have done.
              if (action.refused) confirmedDenied++;
              else find({ kind: who.finding, ...base, detail: who.detail });
            } else {
              const decision = authorise(rulesNow, who, action.capability, action.resource, action.scope);
              if (action.refused) {
                if (decision.allowed) find({ kind: 'denied-but-allowed', ...base, detail: 'recorded as refused, but the policy of its time allowed it' });
                else confirmedDenied++;
              } else if (!decision.allowed) {
                find({ kind: 'not-allowed', ...base, detail: decision.reason });
              } else {
                confirmedAllowed++;
                if (against && !who.root && !authorise(against.rulesOf, who, action.capability, action.resource, action.scope).allowed) {
                  wouldDeny++;
                  const key = `${who.name}\u0000${action.resource.env}\u0000${action.resource.secret ?? ''}\u0000${action.capability}`;
                  const g = groups.get(key);
                  if (g) {
                    g.count++;
                    g.last = at;
                  } else groups.set(key, { principal: who.name, env: action.resource.env, secret: action.resource.secret, capability: action.capability, count: 1, first: at, last: at });
                }
              }
            }
          }
        }
      }
      // Then the event takes effect: the next decision is made over the state it leaves.
      const category = categoryOf(e.stream);
      if (category === TOKEN_CATEGORY || category === POLICY_CATEGORY) {
        try {
          access.apply(e);
        } catch (cause) {
          if (!isStrongroomError(cause)) throw cause; // the projection skips it too (it grants nothing)
        }
      } else if (e.type === 'SecretStored' && typeof data.secretId === 'string' && typeof data.name === 'string') {
        names.set(data.secretId, { env: typeof data.env === 'string' ? data.env : DEFAULT_ENV, name: data.name });
      }
      if (++slice === SLICE) {
        slice = 0;
        await yieldToEventLoop();
      }
    }
    const last = page.at(-1);
    if (last) onProgress(last.position);
    if (window.toPosition !== undefined && last && last.position >= window.toPosition) break;
  }
  return {
    eventsRead,
    head,
    checked,
    confirmedAllowed,
    confirmedDenied,
    system,
    notChecked,
    findings,
    findingsTotal,
    ...(against && {
      whatIf: {
        against: against.name,
        wouldDeny,
        groups: [...groups.values()].sort((a, b) => b.count - a.count || (a.principal < b.principal ? -1 : 1)),
        warnings: against.warnings ?? [],
      },
    }),
  };
};
