import type { Slice } from '../../../catalogue.js';
import { rotateMasterKeyVerb } from './rotate-master-key.cli.verb.js';
import { RotateMasterKeyHttpController } from './rotate-master-key.http.controller.js';
import { RotateMasterKey } from './rotate-master-key.use-case.js';

export const rotateMasterKey: Slice = { useCase: RotateMasterKey, http: [RotateMasterKeyHttpController], cli: [rotateMasterKeyVerb] };
