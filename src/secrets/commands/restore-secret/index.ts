import type { Slice } from '../../../catalogue.js';
import { restoreSecretVerb } from './restore-secret.cli.verb.js';
import { RestoreSecretHttpController } from './restore-secret.http.controller.js';
import { RestoreSecret } from './restore-secret.use-case.js';

export const restoreSecret: Slice = { useCase: RestoreSecret, http: [RestoreSecretHttpController], cli: [restoreSecretVerb] };
