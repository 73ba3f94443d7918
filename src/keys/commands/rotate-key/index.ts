import type { Slice } from '../../../catalogue.js';
import { rotateKeyVerb } from './rotate-key.cli.verb.js';
import { RotateKeyHttpController } from './rotate-key.http.controller.js';
import { RotateKey } from './rotate-key.use-case.js';

export const rotateKey: Slice = { useCase: RotateKey, http: [RotateKeyHttpController], cli: [rotateKeyVerb] };
