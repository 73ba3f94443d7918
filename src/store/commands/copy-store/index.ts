import type { Slice } from '../../../catalogue.js';
import { copyStoreVerb } from './copy-store.cli.verb.js';
import { CopyStore } from './copy-store.use-case.js';

/** Local only: copying needs the target's credentials and the audit key of this process. */
export const copyStore: Slice = { useCase: CopyStore, cli: [copyStoreVerb] };
