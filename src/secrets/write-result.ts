import type { WriteResult } from '../contracts/secrets.js';
export type { WriteResult };

