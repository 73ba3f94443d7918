import type { Slice } from '../../../catalogue.js';
import { rotateTokenVerb } from './rotate-token.cli.verb.js';
import { RotateTokenHttpController } from './rotate-token.http.controller.js';
import { RotateToken } from './rotate-token.use-case.js';

export const rotateToken: Slice = { useCase: RotateToken, http: [RotateTokenHttpController], cli: [rotateTokenVerb] };
