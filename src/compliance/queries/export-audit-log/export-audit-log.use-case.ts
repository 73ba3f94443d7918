import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { ExportAuditLogHandler } from './export-audit-log.handler.js';
import { ExportAuditLogQuery, exportAuditLogInput, type AuditExport, type ExportAuditLogInput } from './export-audit-log.query.js';

export const ExportAuditLog = defineUseCase<ExportAuditLogInput, AuditExport>({
  name: 'ExportAuditLog',
  kind: 'query',
  summary: 'Export the log for auditors and SIEMs: every event as metadata and digests (no value, ciphertext or key), verifiable with the public key alone.',
  message: ExportAuditLogQuery,
  handler: ExportAuditLogHandler,
  input: exportAuditLogInput,
  capability: 'audit',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'GET', path: '/v1/audit/export' }],
});
