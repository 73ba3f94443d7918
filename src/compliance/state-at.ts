import { POLICY_CATEGORY, TOKEN_CATEGORY } from '../access/domain/access-events.js';
import type { PolicyRecord, TokenRecord } from '../access/domain/access-state.js';
import { currentPolicy } from '../access/domain/access-state.js';
import { policyDocumentForm } from '../access/domain/policy-document.js';
import type { EventLog } from '../kernel/tokens.js';
import { categoryOf, type RecordedEvent } from '../event-store/event-store.port.js';
import { KEYS_STREAM } from '../keys/domain/key-events.js';
import { AccessProjection } from '../projection/access-projection.js';
import { parseSlotEvent } from '../projection/parse-events.js';
import { PROJECTED_CATEGORIES } from '../projection/strongroom-projection.js';
import { evolve, initialSlot, type LiveSecret, type SecretSlot } from '../secrets/domain/secret-slot.js';
import { isStrongroomError } from '../shared/errors.js';
import { yieldToEventLoop } from '../shared/yield-to-event-loop.js';
import type { PolicyAt, SecretAt, TokenAt } from '../contracts/compliance.js';
export type { PolicyAt, SecretAt, TokenAt } from '../contracts/compliance.js';

/** Events read per page while folding; small pages keep the event loop free (see ARCHITECTURE, Long operations). */
const PAGE = 2_000;

/** The state the log held just after `position`: secret slots, tokens and policies, folded as the projection folds them. */
export interface FoldedState {
  readonly position: number;
  readonly slots: ReadonlyMap<string, SecretSlot>;
  readonly access: AccessProjection;
  /** Events of the fold that did not parse (their secret, token or policy is left as it was before them). */
  readonly unreadable: readonly { readonly position: number; readonly stream: string }[];
}

/**
 * Folds every secret, token and policy event up to and including `position`, reading only the
 * projected categories (DESIGN.md section 6): no access event is read, so the cost is that of the
 * changes up to `position`, never of the access history. Yields to the event loop between pages.
 * The fold uses the projection's own `evolve` and parsers, so the past is read exactly as the present.
 */
export const foldStateAt = async (log: Pick<EventLog, 'readAll'>, position: number): Promise<FoldedState> => {
  const slots = new Map<string, SecretSlot>();
  const access = new AccessProjection();
  const unreadable: { position: number; stream: string }[] = [];
  let from = 0;
  while (from < position) {
    const page = await log.readAll({ from, maxCount: PAGE, categories: PROJECTED_CATEGORIES });
    if (page.length === 0) break;
    for (const e of page) {
      if (e.position > position) return { position, slots, access, unreadable };
      if (!applyOne(e, slots, access)) unreadable.push({ position: e.position, stream: e.stream });
    }
    from = (page.at(-1) as RecordedEvent).position;
    await yieldToEventLoop();
  }
  return { position, slots, access, unreadable };
};

/** Applies one event; false when it does not parse (left out, as the projection leaves it out). */
const applyOne = (e: RecordedEvent, slots: Map<string, SecretSlot>, access: AccessProjection): boolean => {
  if (e.stream === KEYS_STREAM) return true; // keys do not change what the state shows
  try {
    const category = categoryOf(e.stream);
    if (category === TOKEN_CATEGORY || category === POLICY_CATEGORY) access.apply(e);
    else slots.set(e.stream, evolve(slots.get(e.stream) ?? initialSlot(), parseSlotEvent(e)));
    return true;
  } catch (cause) {
    if (isStrongroomError(cause)) return false;
    throw cause;
  }
};

/** The slot of one stream as it was just after `position` (its own stream only: cheap). */
export const slotAt = async (log: Pick<EventLog, 'readStream'>, stream: string, position: number): Promise<{ slot: SecretSlot; events: readonly RecordedEvent[] }> => {
  const events = (await log.readStream(stream)).filter((e) => e.position <= position);
  let slot = initialSlot();
  for (const e of events) slot = evolve(slot, parseSlotEvent(e));
  return { slot, events };
};




export const secretAt = (live: LiveSecret): SecretAt => ({
  id: live.id,
  name: live.name,
  env: live.env,
  version: live.version,
  latestVersion: live.latestVersion,
  stages: { current: live.version, ...live.stages },
  keyId: live.keyId,
  createdAt: live.createdAt,
  updatedAt: live.updatedAt,
  lastRotatedAt: live.lastRotatedAt,
  tags: live.tags,
  expiresAt: live.expiresAt,
  deletedAt: live.deletedAt,
  destroyedVersions: live.destroyedVersions,
});

export const tokenAt = (t: TokenRecord): TokenAt => ({
  tokenId: t.tokenId,
  principal: t.principal,
  kind: t.kind,
  policies: t.policies,
  root: t.root,
  createdAt: t.createdAt,
  createdBy: t.createdBy,
  rotatedAt: t.rotatedAt,
  expiresAt: t.expiresAt,
  revokedAt: t.revokedAt,
});

export const policyAt = (p: PolicyRecord): PolicyAt | null => {
  const v = currentPolicy(p);
  if (!v) return null;
  return { name: p.name, version: v.version, setAt: v.setAt, setBy: v.setBy, document: v.document ? policyDocumentForm(v.document) : null };
};
