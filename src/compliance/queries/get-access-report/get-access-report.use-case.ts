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
  // The narrowest resource the filters name, which are also the report's row filter (report-fold.ts): a
  // report of one environment needs audit there, one of a secret pattern needs audit on every secret it
  // matches (an auditor of payments/** in prod runs `--env prod --secret 'payments/**'`); without them
  // it spans every environment and secret.
  resource: (input) => ({ env: input.env ?? ALL_ENVIRONMENTS, secret: input.secret ?? null }),
  scope: (input) => (input.secret === undefined ? 'exact' : 'pattern'),
  http: [{ method: 'GET', path: '/v1/audit/report', example: { from: '2026-01-01T00:00:00Z', secret: 'payments/*', unusedDays: 90 } }],
});
