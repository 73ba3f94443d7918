import type { Slice } from '../../../catalogue.js';
import { updateSecretVerb } from './update-secret.cli.verb.js';
import { UpdateSecretHttpController } from './update-secret.http.controller.js';
import { UpdateSecret } from './update-secret.use-case.js';

export const updateSecret: Slice = { useCase: UpdateSecret, http: [UpdateSecretHttpController], cli: [updateSecretVerb] };
