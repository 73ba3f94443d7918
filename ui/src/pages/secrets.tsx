import { useEffect, useState } from 'preact/hooks';
import type { SecretSummary } from '../api.js';
import { ErrorNote } from '../components/error-note.js';
import { useLoad } from '../components/use-load.js';
import { hrefOf, type Route } from '../logic/route.js';
import { useSession } from '../session.js';

const PAGE_SIZE = 50;

/**
 * Secrets of an environment: search by name prefix and tag, one page at a time (the API's cursor), so
 * 100,000 secrets cost one page of 50. Metadata only: no value is read here.
 */
export const SecretsPage = ({ route }: { route: Extract<Route, { page: 'secrets' }> }) => {
  const { api } = useSession();
  const [prefix, setPrefix] = useState(route.prefix);
  const [tag, setTag] = useState(route.tag);
  // Cursors of the pages before this one, so Previous works without the API paging backwards.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    setPrefix(route.prefix);
    setTag(route.tag);
    setCursors([undefined]);
  }, [route.env, route.prefix, route.tag]);
  const envs = useLoad(() => api.listEnvironments(), [api]);
  const page = useLoad(
    () => api.listSecrets({ env: route.env, limit: PAGE_SIZE, ...(route.prefix && { prefix: route.prefix }), ...(route.tag && { tag: route.tag }), ...(cursor && { cursor }) }),
    [api, route.env, route.prefix, route.tag, cursor],
  );
  const search = (event: Event): void => {
    event.preventDefault();
    location.hash = hrefOf({ page: 'secrets', env: route.env, prefix: prefix.trim(), tag: tag.trim() });
  };
  return (
    <>
      <h1>Secrets</h1>
      <form class="toolbar" role="search" onSubmit={search}>
        <label for="env">Environment</label>
        <select id="env" value={route.env} onChange={(e) => (location.hash = hrefOf({ page: 'secrets', env: e.currentTarget.value, prefix: '', tag: '' }))}>
          {(envs.data ?? [{ env: route.env, liveSecrets: 0, activeKeyId: '' }]).map((e) => (
            <option key={e.env} value={e.env}>
              {e.env}
              {envs.data ? ` (${e.liveSecrets} secrets)` : ''}
            </option>
          ))}
        </select>
        <label for="prefix">Name starts with</label>
        <input id="prefix" type="search" value={prefix} onInput={(e) => setPrefix(e.currentTarget.value)} placeholder="payments/" />
        <label for="tag">Tag</label>
        <input id="tag" type="search" value={tag} onInput={(e) => setTag(e.currentTarget.value)} placeholder="team=payments" />
        <button type="submit">Search</button>
      </form>
      <ErrorNote error={envs.error ?? page.error} />
      {page.data && (
        <>
          <table class="secrets">
            <caption>
              {page.data.secrets.length === 0 ? 'No secrets match.' : `Page ${cursors.length}: ${page.data.secrets.length} secrets${route.prefix ? ` starting with “${route.prefix}”` : ''}${route.tag ? ` tagged ${route.tag}` : ''}`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Version</th>
                <th scope="col">Status</th>
                <th scope="col">Tags</th>
                <th scope="col">Updated</th>
                <th scope="col">Expires</th>
                <th scope="col">Rotation due</th>
              </tr>
            </thead>
            <tbody>
              {page.data.secrets.map((s) => (
                <SecretRow key={s.id} secret={s} />
              ))}
            </tbody>
          </table>
          <div class="pager">
            <button type="button" class="secondary" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
              Previous page
            </button>
            <button type="button" class="secondary" disabled={page.data.nextCursor === null} onClick={() => setCursors((c) => [...c, page.data?.nextCursor ?? undefined])}>
              Next page
            </button>
          </div>
        </>
      )}
      {page.loading && <p aria-live="polite">Loading…</p>}
    </>
  );
};

const SecretRow = ({ secret: s }: { secret: SecretSummary }) => (
  <tr>
    <td>
      <a href={hrefOf({ page: 'secret', env: s.env, name: s.name })}>{s.name}</a>
    </td>
    <td>{s.version}</td>
    <td>
      <span class={`badge ${s.status}`}>{s.status}</span>
    </td>
    <td>
      {Object.entries(s.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}
    </td>
    <td>{s.updatedAt.slice(0, 10)}</td>
    <td>{s.expiresAt?.slice(0, 10) ?? ''}</td>
    <td>{s.rotation?.dueAt.slice(0, 10) ?? ''}</td>
  </tr>
);
