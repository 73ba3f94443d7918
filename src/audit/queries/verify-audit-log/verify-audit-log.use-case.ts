import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { VerifyAuditLogHandler } from './verify-audit-log.handler.js';
import { VerifyAuditLogQuery, verifyAuditLogInput, type AuditVerification, type VerifyAuditLogInput } from './verify-audit-log.query.js';

export const VerifyAuditLog = defineUseCase<VerifyAuditLogInput, AuditVerification>({
  name: 'VerifyAuditLog',
  kind: 'query',
  summary: 'Recompute every digest and the HMAC chain, optionally against a checkpoint kept elsewhere (detects a truncated tail).',
  message: VerifyAuditLogQuery,
  handler: VerifyAuditLogHandler,
  input: verifyAuditLogInput,
  capability: 'audit',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'GET', path: '/v1/audit/verify' }],
});
