/**
 * The console's pages, addressed by the URL fragment (`#/secrets?env=prod&prefix=db/`), so the server
 * serves one index.html and a reload keeps the page (the token, kept in memory, does not survive it).
 */
export type Route =
  | { readonly page: 'secrets'; readonly env: string; readonly prefix: string; readonly tag: string }
  | { readonly page: 'secret'; readonly env: string; readonly name: string }
  | { readonly page: 'timeline' }
  | { readonly page: 'rotations'; readonly env: string }
  | { readonly page: 'admin' }
  | { readonly page: 'integrity' };

export const DEFAULT_ENV = 'default';

/** The route of a fragment; anything unknown is the secrets list. */
export const parseRoute = (hash: string): Route => {
  const text = hash.replace(/^#\/?/, '');
  const queryAt = text.indexOf('?');
  const path = queryAt === -1 ? text : text.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : text.slice(queryAt + 1));
  const env = query.get('env') || DEFAULT_ENV;
  const [page, ...rest] = path.split('/');
  switch (page) {
    case 'secret': {
      // Names may hold '/', so everything after the environment is the name (each segment encoded).
      const [envSegment, ...nameSegments] = rest;
      if (envSegment === undefined || nameSegments.length === 0) break;
      return { page: 'secret', env: decodeURIComponent(envSegment), name: nameSegments.map(decodeURIComponent).join('/') };
    }
    case 'timeline':
      return { page: 'timeline' };
    case 'rotations':
      return { page: 'rotations', env };
    case 'admin':
      return { page: 'admin' };
    case 'integrity':
      return { page: 'integrity' };
    default:
      break;
  }
  return { page: 'secrets', env, prefix: query.get('prefix') ?? '', tag: query.get('tag') ?? '' };
};

/** The fragment of a route (the inverse of parseRoute). */
export const hrefOf = (route: Route): string => {
  switch (route.page) {
    case 'secret':
      return `#/secret/${encodeURIComponent(route.env)}/${route.name.split('/').map(encodeURIComponent).join('/')}`;
    case 'secrets': {
      const query = new URLSearchParams({ env: route.env, ...(route.prefix && { prefix: route.prefix }), ...(route.tag && { tag: route.tag }) });
      return `#/secrets?${query.toString()}`;
    }
    case 'rotations':
      return `#/rotations?env=${encodeURIComponent(route.env)}`;
    default:
      return `#/${route.page}`;
  }
};
