import type { Slice } from '../../../catalogue.js';
import { auditExportVerb } from './export-audit-log.cli.verb.js';
import { ExportAuditLogHttpController } from './export-audit-log.http.controller.js';
import { ExportAuditLog } from './export-audit-log.use-case.js';

export const exportAuditLog: Slice = { useCase: ExportAuditLog, http: [ExportAuditLogHttpController], cli: [auditExportVerb] };
