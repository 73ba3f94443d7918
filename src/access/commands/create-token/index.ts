import type { Slice } from '../../../catalogue.js';
import { createTokenVerb } from './create-token.cli.verb.js';
import { CreateTokenHttpController } from './create-token.http.controller.js';
import { CreateToken } from './create-token.use-case.js';

export const createToken: Slice = { useCase: CreateToken, http: [CreateTokenHttpController], cli: [createTokenVerb] };
