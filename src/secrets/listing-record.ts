import type { Ticket } from '../kernel/ticket.js';

/**
 * Listing secrets and reading the audit trail are accesses too (PCI DSS requirement 10.2.1.3: access to
 * the audit trail is logged): recorded in the `access` category, which start-up never replays, and
 * durable before the answer leaves.
 */
export const LISTING_SCHEMA_VERSIONS: Readonly<Record<string, number>> = { SecretsListed: 1, AuditTrailRead: 1 };

/** `access-list-<env>` for listings of an environment; `access-audit` for reads of the audit trail. */
export const listingStream = (env: string): string => `access-list-${env}`;
export const AUDIT_READS_STREAM = 'access-audit';

export const recordListing = (ticket: Ticket, stream: string, type: 'SecretsListed' | 'AuditTrailRead', data: object): Promise<number> =>
  ticket.record(stream, [{ type, data }], LISTING_SCHEMA_VERSIONS, false);
