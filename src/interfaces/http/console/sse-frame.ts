import type { AuditEntry } from '../../../audit/queries/get-audit-trail/get-audit-trail.query.js';

/**
 * One server-sent event (the WHATWG "event stream" format): `id` is the log position, so a client that
 * reconnects sends it back as `Last-Event-ID` and resumes after it; `data` is the audit trail's own
 * description of the event (describeEvent: metadata only, never a value, ciphertext or key), as one
 * line of JSON (JSON.stringify escapes newlines, so the frame cannot be split or forged by a name).
 */
export const auditFrame = (entry: AuditEntry): string => `id: ${entry.position}\nevent: audit\ndata: ${JSON.stringify(entry)}\n\n`;

/**
 * A frame that tells the client where the feed stands without an event: sent when the stream opens and
 * as a heartbeat, so a proxy keeps an idle stream open and a client sees that it is still connected.
 * `head` is the log position through which the client has been sent everything it may see.
 */
export const positionFrame = (head: number): string => `event: position\ndata: ${JSON.stringify({ head })}\n\n`;

/** Why the server ended the stream (token revoked, stream too old); the client reconnects or stops. */
export const endFrame = (reason: string): string => `event: end\ndata: ${JSON.stringify({ reason })}\n\n`;

/** A sane `Last-Event-ID` (or `?from=`): a log position; anything else is ignored (start at the head). */
export const resumePositionOf = (header: unknown): number | undefined => {
  const text = Array.isArray(header) ? header[0] : header;
  if (typeof text !== 'string' || !/^\d{1,15}$/.test(text.trim())) return undefined;
  return Number(text.trim());
};
