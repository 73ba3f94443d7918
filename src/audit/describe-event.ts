import type { RecordedEvent } from '../event-store/event-store.port.js';
import type { AuditEntry } from './queries/get-audit-trail/get-audit-trail.query.js';

/**
 * What the audit trail shows of an event: an allow-list of identifying fields. Ciphertext and wrapped
 * keys are never copied, whatever an event type carries now or later.
 */
export const describeEvent = (e: RecordedEvent): AuditEntry => {
  // A damaged row reads back with null data or metadata; the trail still lists it (verify names it).
  const d = (e.data ?? {}) as Record<string, unknown>;
  const m = (e.metadata ?? {}) as Partial<RecordedEvent['metadata']>;
  const text = (v: unknown): string => (typeof v === 'string' ? v : 'unreadable');
  const pick = <T>(field: string, type: 'string' | 'number'): T | undefined => (typeof d[field] === type ? (d[field] as T) : undefined);
  const keyId = pick<string>('keyId', 'string') ?? pick<string>('newKeyId', 'string');
  const entry: AuditEntry = {
    position: e.position,
    stream: e.stream,
    type: e.type,
    actor: text(m.actor),
    ...(typeof m.actorKind === 'string' && { actorKind: m.actorKind }),
    ...(typeof m.tokenId === 'string' && { tokenId: m.tokenId }),
    interface: text(m.interface),
    correlationId: text(m.correlationId),
    occurredAt: text(m.occurredAt),
  };
  const secretId = pick<string>('secretId', 'string');
  // An AccessDenied names the secret it refused as `secret`; every other event as `name`.
  const name = pick<string>('name', 'string') ?? pick<string>('secret', 'string');
  const env = pick<string>('env', 'string');
  const version = pick<number>('version', 'number');
  const rotationId = pick<string>('rotationId', 'string');
  const rule = ruleText(d.allowedBy ?? d.rule);
  const reason = e.type === 'AccessDenied' || e.type === 'AuthenticationFailed' ? pick<string>('reason', 'string') : undefined;
  const capability = pick<string>('capability', 'string');
  const asOf = pick<number>('asOf', 'number');
  return {
    ...entry,
    ...(secretId !== undefined && { secretId }),
    ...(name !== undefined && { name }),
    ...(env !== undefined && { env }),
    ...(version !== undefined && { version }),
    ...(keyId !== undefined && { keyId }),
    ...(rotationId !== undefined && { rotationId }),
    ...(capability !== undefined && { capability }),
    ...(rule !== undefined && { rule }),
    ...(reason !== undefined && { reason }),
    ...(asOf !== undefined && { asOf }),
  };
};

/** The policy rule that allowed or refused, as people read it: `root`, or `payments-read v2 #0`. */
const ruleText = (raw: unknown): string | undefined => {
  if (raw === 'root') return 'root';
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { policy, version, rule } = raw as { policy?: unknown; version?: unknown; rule?: unknown };
  return typeof policy === 'string' && typeof version === 'number' && typeof rule === 'number' ? `${policy} v${version} #${rule}` : undefined;
};
