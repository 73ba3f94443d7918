import type { RecordedEvent } from '../event-store/event-store.port.js';
import type { AuditEntry } from '../secrets/queries/get-audit-trail/get-audit-trail.query.js';

/**
 * What the audit trail shows of an event: an allow-list of identifying fields. Ciphertext and wrapped
 * keys are never copied, whatever an event type carries now or later.
 */
export const describeEvent = (e: RecordedEvent): AuditEntry => {
  const d = e.data as Record<string, unknown>;
  const pick = <T>(field: string, type: 'string' | 'number'): T | undefined => (typeof d[field] === type ? (d[field] as T) : undefined);
  const keyId = pick<string>('keyId', 'string') ?? pick<string>('newKeyId', 'string');
  const entry: AuditEntry = {
    position: e.position,
    stream: e.stream,
    type: e.type,
    actor: e.metadata.actor,
    interface: e.metadata.interface,
    correlationId: e.metadata.correlationId,
    occurredAt: e.metadata.occurredAt,
  };
  const secretId = pick<string>('secretId', 'string');
  const name = pick<string>('name', 'string');
  const version = pick<number>('version', 'number');
  const rotationId = pick<string>('rotationId', 'string');
  return {
    ...entry,
    ...(secretId !== undefined && { secretId }),
    ...(name !== undefined && { name }),
    ...(version !== undefined && { version }),
    ...(keyId !== undefined && { keyId }),
    ...(rotationId !== undefined && { rotationId }),
  };
};
