import type { Slice } from '../../../catalogue.js';
import { rotateSecretVerb } from './rotate-secret.cli.verb.js';
import { RotateSecretHttpController } from './rotate-secret.http.controller.js';
import { RotateSecret } from './rotate-secret.use-case.js';

export const rotateSecret: Slice = { useCase: RotateSecret, http: [RotateSecretHttpController], cli: [rotateSecretVerb] };
