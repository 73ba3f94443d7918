import type { Slice } from '../../../catalogue.js';
import { putPendingVersionVerb } from './put-pending-version.cli.verb.js';
import { PutPendingVersionHttpController } from './put-pending-version.http.controller.js';
import { PutPendingVersion } from './put-pending-version.use-case.js';

export const putPendingVersion: Slice = { useCase: PutPendingVersion, http: [PutPendingVersionHttpController], cli: [putPendingVersionVerb] };
