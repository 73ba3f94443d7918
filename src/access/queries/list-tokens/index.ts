import type { Slice } from '../../../catalogue.js';
import { listTokensVerb } from './list-tokens.cli.verb.js';
import { ListTokensHttpController } from './list-tokens.http.controller.js';
import { ListTokens } from './list-tokens.use-case.js';

export const listTokens: Slice = { useCase: ListTokens, http: [ListTokensHttpController], cli: [listTokensVerb] };
