import type { Slice } from '../../../catalogue.js';
import { updateSecretMetadataVerb } from './update-secret-metadata.cli.verb.js';
import { UpdateSecretMetadataHttpController } from './update-secret-metadata.http.controller.js';
import { UpdateSecretMetadata } from './update-secret-metadata.use-case.js';

export const updateSecretMetadata: Slice = { useCase: UpdateSecretMetadata, http: [UpdateSecretMetadataHttpController], cli: [updateSecretMetadataVerb] };
