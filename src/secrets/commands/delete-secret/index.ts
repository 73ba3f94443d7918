import type { Slice } from '../../../catalogue.js';
import { deleteSecretVerb } from './delete-secret.cli.verb.js';
import { DeleteSecretHttpController } from './delete-secret.http.controller.js';
import { DeleteSecret } from './delete-secret.use-case.js';

export const deleteSecret: Slice = { useCase: DeleteSecret, http: [DeleteSecretHttpController], cli: [deleteSecretVerb] };
