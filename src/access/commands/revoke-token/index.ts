import type { Slice } from '../../../catalogue.js';
import { revokeTokenVerb } from './revoke-token.cli.verb.js';
import { RevokeTokenHttpController } from './revoke-token.http.controller.js';
import { RevokeToken } from './revoke-token.use-case.js';

export const revokeToken: Slice = { useCase: RevokeToken, http: [RevokeTokenHttpController], cli: [revokeTokenVerb] };
