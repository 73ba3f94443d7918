import type { Resource } from '../kernel/authorisation.js';
import type { ResourceLookup } from '../kernel/use-case.js';

/**
 * The resource of an action on one existing secret named by `ref` (an id or a name): its name when the
 * secret is known, so policies on names also govern access by id; the ref itself otherwise (an unknown
 * id then matches only rules on every secret, and a denied caller learns nothing about what exists).
 */
export const secretResource = (input: { readonly env: string; readonly ref: string }, lookup: ResourceLookup): Resource => ({
  env: input.env,
  secret: lookup.secretNameOf(input.env, input.ref) ?? input.ref,
});
