import type { Slice } from '../../../catalogue.js';
import { auditReportVerb } from './get-access-report.cli.verb.js';
import { GetAccessReportHttpController } from './get-access-report.http.controller.js';
import { GetAccessReport } from './get-access-report.use-case.js';

export const getAccessReport: Slice = { useCase: GetAccessReport, http: [GetAccessReportHttpController], cli: [auditReportVerb] };
