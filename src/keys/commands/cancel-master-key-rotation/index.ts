import type { Slice } from '../../../catalogue.js';
import { CancelMasterKeyRotationHttpController } from './cancel-master-key-rotation.http.controller.js';
import { CancelMasterKeyRotation } from './cancel-master-key-rotation.use-case.js';

/** The CLI offers it as `rotate-master-key --cancel` (rotate-master-key.cli.verb.ts). */
export const cancelMasterKeyRotation: Slice = { useCase: CancelMasterKeyRotation, http: [CancelMasterKeyRotationHttpController] };
