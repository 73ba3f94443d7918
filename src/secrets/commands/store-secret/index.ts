import type { Slice } from '../../../catalogue.js';
import { storeSecretVerb } from './store-secret.cli.verb.js';
import { StoreSecretHttpController } from './store-secret.http.controller.js';
import { StoreSecret } from './store-secret.use-case.js';

export const storeSecret: Slice = { useCase: StoreSecret, http: [StoreSecretHttpController], cli: [storeSecretVerb] };
