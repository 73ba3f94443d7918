/** `/v1/secrets/` (the default environment) or `/v1/envs/<env>/secrets/`. */
const SECRETS_PREFIX = /^\/v1\/(?:envs\/[^/?#]+\/)?secrets\//;

/** Sub-resources of a secret, per method; any other trailing segment is part of the name. */
const SUB_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  GET: ['history', 'rotations'],
  POST: ['rotate', 'promote', 'pending', 'unstage', 'restore', 'destroy'],
};

/**
 * Secret names may contain '/', so `/v1/secrets/db/password/history` is rewritten, before routing, to
 * `/v1/secrets/db%2Fpassword/history`: the routes then see the name as one `:ref` segment, decoded by
 * the router. The last segment is a sub-resource only when the method has one of that name; a secret
 * whose name ends in such a segment (e.g. `app/history`) is reached by encoding its slashes as %2F.
 * Nothing is normalised here: `.`, `..` and empty segments reach the name check and are refused there
 * (the name grammar forbids them), so no path ever addresses a different secret than it spells.
 */
export const canonicalSecretUrl = (method: string, url: string): string => {
  const prefix = SECRETS_PREFIX.exec(url)?.[0];
  if (prefix === undefined) return url;
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt);
  const segments = path.slice(prefix.length).split('/');
  const last = segments[segments.length - 1] ?? '';
  const sub = segments.length > 1 && (SUB_RESOURCES[method] ?? []).includes(last) ? last : undefined;
  const refSegments = sub === undefined ? segments : segments.slice(0, -1);
  if (refSegments.length < 2) return url;
  return `${prefix}${refSegments.join('%2F')}${sub === undefined ? '' : `/${sub}`}${query}`;
};
