import { defineUseCase } from '../../../kernel/use-case.js';
import { secretResource } from '../../secret-resource.js';
import type { WriteResult } from '../../write-result.js';
import { PutPendingVersionCommand, putPendingVersionInput, type PutPendingVersionInput } from './put-pending-version.command.js';
import { PutPendingVersionHandler } from './put-pending-version.handler.js';

/** `rotate`: phase one of a rotation, as a rotator service holds it (promotion is `rotate` too). */
export const PutPendingVersion = defineUseCase<PutPendingVersionInput, WriteResult>({
  name: 'PutPendingVersion',
  kind: 'command',
  summary: 'Put a new version under the pending stage (two-phase rotation): reads keep the current version until it is promoted or cancelled.',
  message: PutPendingVersionCommand,
  handler: PutPendingVersionHandler,
  input: putPendingVersionInput,
  capability: 'rotate',
  resource: secretResource,
  http: [
    { method: 'POST', path: '/v1/envs/:env/secrets/:ref/pending' },
    { method: 'POST', path: '/v1/secrets/:ref/pending' },
  ],
});
