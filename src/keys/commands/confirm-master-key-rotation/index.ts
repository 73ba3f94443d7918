import type { Slice } from '../../../catalogue.js';
import { ConfirmMasterKeyRotationHttpController } from './confirm-master-key-rotation.http.controller.js';
import { ConfirmMasterKeyRotation } from './confirm-master-key-rotation.use-case.js';

/** The CLI offers it as `rotate-master-key --confirm` (rotate-master-key.cli.verb.ts). */
export const confirmMasterKeyRotation: Slice = { useCase: ConfirmMasterKeyRotation, http: [ConfirmMasterKeyRotationHttpController] };
