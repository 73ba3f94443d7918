import type { Slice } from '../../../catalogue.js';
import { RunLifecycleTimers } from './run-lifecycle-timers.use-case.js';

/** No HTTP or CLI adapter: every long-lived process runs it on a timer; the library offers runLifecycleTimers(). */
export const runLifecycleTimers: Slice = { useCase: RunLifecycleTimers };
