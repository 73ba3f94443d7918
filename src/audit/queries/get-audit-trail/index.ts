import type { Slice } from '../../../catalogue.js';
import { auditLogVerb } from './get-audit-trail.cli.verb.js';
import { GetAuditTrailHttpController } from './get-audit-trail.http.controller.js';
import { GetAuditTrail } from './get-audit-trail.use-case.js';

export const getAuditTrail: Slice = { useCase: GetAuditTrail, http: [GetAuditTrailHttpController], cli: [auditLogVerb] };
