import type { Slice } from '../../../catalogue.js';
import { ResumeKeyRotations } from './resume-key-rotations.use-case.js';

/** No interface offers it: start-up runs it as the system principal. */
export const resumeKeyRotations: Slice = { useCase: ResumeKeyRotations };
