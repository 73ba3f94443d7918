import type { Slice } from '../../../catalogue.js';
import { keyRotationsVerb } from './get-key-rotations.cli.verb.js';
import { GetKeyRotationsHttpController } from './get-key-rotations.http.controller.js';
import { GetKeyRotations } from './get-key-rotations.use-case.js';

export const getKeyRotations: Slice = { useCase: GetKeyRotations, http: [GetKeyRotationsHttpController], cli: [keyRotationsVerb] };
