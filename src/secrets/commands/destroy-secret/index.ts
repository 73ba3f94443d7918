import type { Slice } from '../../../catalogue.js';
import { destroySecretVerb } from './destroy-secret.cli.verb.js';
import { DestroySecretHttpController } from './destroy-secret.http.controller.js';
import { DestroySecret } from './destroy-secret.use-case.js';

export const destroySecret: Slice = { useCase: DestroySecret, http: [DestroySecretHttpController], cli: [destroySecretVerb] };
