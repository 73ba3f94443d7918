import type { Slice } from '../../../catalogue.js';
import { getSecretVerb } from './get-secret.cli.verb.js';
import { GetSecretHttpController } from './get-secret.http.controller.js';
import { GetSecret } from './get-secret.use-case.js';

export const getSecret: Slice = { useCase: GetSecret, http: [GetSecretHttpController], cli: [getSecretVerb] };
