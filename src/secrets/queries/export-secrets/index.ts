import type { Slice } from '../../../catalogue.js';
import { exportSecretsVerb } from './export-secrets.cli.verb.js';
import { ExportSecretsHttpController } from './export-secrets.http.controller.js';
import { ExportSecrets } from './export-secrets.use-case.js';
import { runVerb } from './run.cli.verb.js';

export const exportSecrets: Slice = { useCase: ExportSecrets, http: [ExportSecretsHttpController], cli: [exportSecretsVerb, runVerb] };
