import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { secretResource } from '../../../secrets/secret-resource.js';
import { GetAuditTrailHandler } from './get-audit-trail.handler.js';
import { GetAuditTrailQuery, getAuditTrailInput, type AuditEntry, type GetAuditTrailInput } from './get-audit-trail.query.js';

export const GetAuditTrail = defineUseCase<GetAuditTrailInput, AuditEntry[]>({
  name: 'GetAuditTrail',
  kind: 'query',
  summary: "The audit trail: one secret's changes and reads, or the whole log in pages; never values or keys. The read is itself recorded.",
  message: GetAuditTrailQuery,
  handler: GetAuditTrailHandler,
  input: getAuditTrailInput,
  capability: 'audit',
  // One secret's trail is that secret's resource; the whole log spans every environment.
  resource: (input, lookup) => (input.ref === undefined ? { env: ALL_ENVIRONMENTS, secret: null } : secretResource({ env: input.env, ref: input.ref }, lookup)),
  http: [{ method: 'GET', path: '/v1/audit' }],
});
