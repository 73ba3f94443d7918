/**
 * The options of secret writes and listings as callers pass them, shared by the library (SecretManager)
 * and the SDK (StrongroomClient) so the two cannot drift. Defined in the wire contract (src/contracts/).
 */
export type { GenerateOptions, LifecycleOptions, ListOptions, Metadata } from '../contracts/secrets.js';
