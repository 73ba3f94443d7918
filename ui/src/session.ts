import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api.js';
import type { LiveFeed } from './live-feed.js';
import type { Action, Refusals, Rights } from './logic/permissions.js';

/**
 * A signed-in tab: the API as the token's principal, the live feed, and the refusals seen so far. The
 * token lives only in this object's closures (memory): never in a cookie, localStorage or the URL, and
 * signing out (or closing the tab) forgets it.
 */
export interface Session {
  readonly api: Api;
  readonly feed: LiveFeed;
  readonly refusals: Refusals;
  /** What the server said the principal may do at sign-in (DescribeCaller); pass it to `offers`. */
  readonly rights: Rights;
  /** Records that the server refused `action` in `env`, so the console stops offering it. */
  refuse(action: Action, env: string): void;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

/** The session of a page inside the signed-in shell. */
export const useSession = (): Session => {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside a signed-in console');
  return session;
};
