import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { GetAccessReportHandler } from './get-access-report.handler.js';
import { GetAccessReportQuery, getAccessReportInput, type AccessReport, type GetAccessReportInput } from './get-access-report.query.js';

export const GetAccessReport = defineUseCase<GetAccessReportInput, AccessReport>({
  name: 'GetAccessReport',
  kind: 'query',
  summary: 'Who read which secret, when, through which interface, under which rule; denials and failed authentications; per-secret last access and readers; unread secrets and unused tokens. Streamed.',
  message: GetAccessReportQuery,
  handler: GetAccessReportHandler,
  input: getAccessReportInput,
  capability: 'audit',
  // A report of one environment needs audit there; without one it spans every environment.
  resource: (input) => ({ env: input.env ?? ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'GET', path: '/v1/audit/report', example: { from: '2026-01-01T00:00:00Z', secret: 'payments/*', unusedDays: 90 } }],
});
