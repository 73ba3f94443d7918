import { defineUseCase } from '../../../kernel/use-case.js';
import { ExportSecretsHandler } from './export-secrets.handler.js';
import { ExportSecretsQuery, exportSecretsInput, type ExportSecretsInput, type SecretExport } from './export-secrets.query.js';

export const ExportSecrets = defineUseCase<ExportSecretsInput, SecretExport>({
  name: 'ExportSecrets',
  kind: 'query',
  summary:
    'Read many secrets at once (a prefix, or a list of names): one durable SecretAccessed per secret before any value is returned; all or nothing.',
  message: ExportSecretsQuery,
  handler: ExportSecretsHandler,
  input: exportSecretsInput,
  capability: 'read',
  // The handler checks `read` on every secret it returns (and refuses the whole export on one refusal).
  scope: 'any-in-env',
  resource: (input) => ({ env: input.env, secret: null }),
  http: [
    { method: 'POST', path: '/v1/envs/:env/exports', example: { env: 'prod', prefix: 'payments/' } },
    { method: 'POST', path: '/v1/exports' },
  ],
});
