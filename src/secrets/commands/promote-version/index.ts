import type { Slice } from '../../../catalogue.js';
import { promoteVersionVerb } from './promote-version.cli.verb.js';
import { PromoteVersionHttpController } from './promote-version.http.controller.js';
import { PromoteVersion } from './promote-version.use-case.js';

export const promoteVersion: Slice = { useCase: PromoteVersion, http: [PromoteVersionHttpController], cli: [promoteVersionVerb] };
