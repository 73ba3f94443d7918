import type { Slice } from '../../../catalogue.js';
import { listSecretsVerb } from './list-secrets.cli.verb.js';
import { ListSecretsHttpController } from './list-secrets.http.controller.js';
import { ListSecrets } from './list-secrets.use-case.js';

export const listSecrets: Slice = { useCase: ListSecrets, http: [ListSecretsHttpController], cli: [listSecretsVerb] };
