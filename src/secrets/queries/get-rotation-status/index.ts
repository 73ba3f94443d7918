import type { Slice } from '../../../catalogue.js';
import { rotationStatusVerb } from './get-rotation-status.cli.verb.js';
import { GetRotationStatusHttpController } from './get-rotation-status.http.controller.js';
import { GetRotationStatus } from './get-rotation-status.use-case.js';

export const getRotationStatus: Slice = { useCase: GetRotationStatus, http: [GetRotationStatusHttpController], cli: [rotationStatusVerb] };
