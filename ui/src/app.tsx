import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Api } from './api.js';
import { openLiveFeed, unavailableFeed, type FeedState, type LiveFeed } from './live-feed.js';
import { ACTION_CAPABILITY, grants, offers, refuse, EVERY_ENV, type Action, type Refusals, type Rights } from './logic/permissions.js';
import { hrefOf, parseRoute, type Route } from './logic/route.js';
import { AdminPage } from './pages/admin.js';
import { IntegrityPage } from './pages/integrity.js';
import { RotationsPage } from './pages/rotations.js';
import { SecretPage } from './pages/secret.js';
import { SecretsPage } from './pages/secrets.js';
import { SignIn } from './pages/sign-in.js';
import { TimelinePage } from './pages/timeline.js';
import { SessionContext, useSession, type Session } from './session.js';

const useRoute = (): Route => {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = (): void => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return parseRoute(hash);
};

const feedText = (state: FeedState): string => {
  switch (state.kind) {
    case 'connecting':
      return 'Live feed: connecting…';
    case 'live':
      return `Live feed: connected (log position ${state.head})`;
    case 'reconnecting':
      return `Live feed: reconnecting (${state.reason})`;
    case 'refused':
      return 'Live feed: not available to this token';
  }
};

/** The console: sign-in, then the shell (navigation, live-feed status, sign-out) around the page of the URL fragment. */
export const App = () => {
  const [signedIn, setSignedIn] = useState<{ api: Api; feed: LiveFeed; rights: Rights } | null>(null);
  const [refusals, setRefusals] = useState<Refusals>(new Set());
  const route = useRoute();

  const signOut = (): void => {
    signedIn?.feed.close();
    setSignedIn(null);
    setRefusals(new Set());
  };

  const session = useMemo<Session | null>(
    () =>
      signedIn && {
        ...signedIn,
        refusals,
        refuse: (action: Action, env: string) => setRefusals((r) => refuse(r, action, env)),
        signOut,
      },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [signedIn, refusals],
  );

  // The whole audit trail needs `audit` over every environment: a token without it does not open the
  // feed (a refusal recorded at every sign-in would be noise in the denial reports).
  const feedFor = (token: string, rights: Rights): LiveFeed => (grants(rights, ACTION_CAPABILITY.timeline, EVERY_ENV) ? openLiveFeed(token) : unavailableFeed());
  if (session === null) return <SignIn onSignedIn={(token, api, rights) => setSignedIn({ api, rights, feed: feedFor(token, rights) })} />;
  return (
    <SessionContext.Provider value={session}>
      <Shell route={route} />
    </SessionContext.Provider>
  );
};

const Shell = ({ route }: { route: Route }) => {
  const session = useSession();
  const [feedState, setFeedState] = useState<FeedState>(session.feed.state);
  return (
          <>
            <FeedStatus feed={session.feed} onState={setFeedState} />
            <header class="shell">
              <span class="brand">Strongroom</span>
              <nav aria-label="Console">
                <a href={hrefOf({ page: 'secrets', env: 'default', prefix: '', tag: '' })} aria-current={route.page === 'secrets' || route.page === 'secret' ? 'page' : undefined}>
                  Secrets
                </a>
                {offers(session.refusals, 'timeline', EVERY_ENV, session.rights) && (
                  <a href="#/timeline" aria-current={route.page === 'timeline' ? 'page' : undefined}>
                    Audit timeline
                  </a>
                )}
                <a href={hrefOf({ page: 'rotations', env: 'default' })} aria-current={route.page === 'rotations' ? 'page' : undefined}>
                  Rotations
                </a>
                {offers(session.refusals, 'tokens', EVERY_ENV, session.rights) && (
                  <a href="#/admin" aria-current={route.page === 'admin' ? 'page' : undefined}>
                    Tokens &amp; policies
                  </a>
                )}
                {offers(session.refusals, 'verify', EVERY_ENV, session.rights) && (
                  <a href="#/integrity" aria-current={route.page === 'integrity' ? 'page' : undefined}>
                    Integrity
                  </a>
                )}
              </nav>
              <span class="feed-status" role="status">
                {feedText(feedState)}
              </span>
              <button type="button" class="secondary" onClick={session.signOut}>
                Sign out
              </button>
            </header>
            <main>
              <Page route={route} />
            </main>
          </>
  );
};

/** Follows the feed's state; a refused feed means the token may not read the audit trail, so it is not offered. */
const FeedStatus = ({ feed, onState }: { feed: LiveFeed; onState: (s: FeedState) => void }) => {
  const session = useSession();
  useEffect(() => {
    const follow = (state: FeedState): void => {
      onState(state);
      if (state.kind === 'refused') session.refuse('timeline', EVERY_ENV);
    };
    follow(feed.state);
    return feed.onState(follow);
  }, [feed]);
  return null;
};

const Page = ({ route }: { route: Route }) => {
  switch (route.page) {
    case 'secrets':
      return <SecretsPage route={route} />;
    case 'secret':
      return <SecretPage env={route.env} name={route.name} />;
    case 'timeline':
      return <TimelinePage />;
    case 'rotations':
      return <RotationsPage env={route.env} />;
    case 'admin':
      return <AdminPage />;
    case 'integrity':
      return <IntegrityPage />;
  }
};
