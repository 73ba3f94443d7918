import { defineUseCase } from '../../../kernel/use-case.js';
import { secretResource } from '../../secret-resource.js';
import type { WriteResult } from '../../write-result.js';
import { UpdateSecretMetadataCommand, updateSecretMetadataInput, type UpdateSecretMetadataInput } from './update-secret-metadata.command.js';
import { UpdateSecretMetadataHandler } from './update-secret-metadata.handler.js';

export const UpdateSecretMetadata = defineUseCase<UpdateSecretMetadataInput, WriteResult>({
  name: 'UpdateSecretMetadata',
  kind: 'command',
  summary: 'Change metadata, tags, expiry or rotation schedule without a new value version.',
  message: UpdateSecretMetadataCommand,
  handler: UpdateSecretMetadataHandler,
  input: updateSecretMetadataInput,
  capability: 'update',
  resource: secretResource,
  http: [
    { method: 'PATCH', path: '/v1/envs/:env/secrets/:ref' },
    { method: 'PATCH', path: '/v1/secrets/:ref' },
  ],
});
