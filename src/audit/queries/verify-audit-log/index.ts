import type { Slice } from '../../../catalogue.js';
import { auditVerifyVerbs } from './verify-audit-log.cli.verb.js';
import { VerifyAuditLogHttpController } from './verify-audit-log.http.controller.js';
import { VerifyAuditLog } from './verify-audit-log.use-case.js';

export const verifyAuditLog: Slice = { useCase: VerifyAuditLog, http: [VerifyAuditLogHttpController], cli: [auditVerifyVerbs] };
