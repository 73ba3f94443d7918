import { useEffect, useState } from 'preact/hooks';
import type { CreatedToken, ReplayResult } from '../api.js';
import { ErrorNote, isDenied } from '../components/error-note.js';
import { useLoad } from '../components/use-load.js';
import { EVERY_ENV, offers } from '../logic/permissions.js';
import { groupWhatIf } from '../logic/what-if.js';
import { checkPolicyText } from '../logic/policy-check.js';
import { useSession } from '../session.js';

/** Tokens and policies, for admins: create (the token shown once) and revoke tokens; read, edit and trace policies. */
export const AdminPage = () => (
  <>
    <h1>Tokens and policies</h1>
    <Tokens />
    <Policies />
  </>
);

const Tokens = () => {
  const session = useSession();
  const { api } = session;
  const tokens = useLoad(() => api.listTokens(), [api]);
  const [principal, setPrincipal] = useState('');
  const [kind, setKind] = useState<'service' | 'person'>('service');
  const [policies, setPolicies] = useState('');
  const [ttl, setTtl] = useState('');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  useEffect(() => {
    if (isDenied(tokens.error)) session.refuse('tokens', EVERY_ENV);
  }, [tokens.error]);
  const create = async (event: Event): Promise<void> => {
    event.preventDefault();
    setError(null);
    setDone('');
    try {
      const list = policies.split(',').map((p) => p.trim()).filter(Boolean);
      setCreated(await api.createToken({ principal: principal.trim(), kind, policies: list, ...(ttl.trim() && { ttl: ttl.trim() }) }));
      setPrincipal('');
      setPolicies('');
      setTtl('');
      tokens.reload();
    } catch (e) {
      setError(e);
    }
  };
  const revoke = async (tokenId: string, who: string): Promise<void> => {
    setError(null);
    setDone('');
    try {
      await api.revokeToken(tokenId);
      setDone(`Token of ${who} revoked: it is refused from now on.`);
      tokens.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section aria-labelledby="tokens">
      <h2 id="tokens">Tokens</h2>
      <ErrorNote error={tokens.error ?? error} />
      {done && (
        <p role="status" class="note ok">
          {done}
        </p>
      )}
      {created && (
        <div class="note ok once" role="status">
          <p>
            Token for <strong>{created.principal}</strong> created. Copy it now: it is shown this once and stored nowhere.
          </p>
          <label for="created-token">New token</label>
          <input id="created-token" readOnly value={created.token} autocomplete="off" spellcheck={false} />
          <button type="button" class="secondary" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </div>
      )}
      {!tokens.error && (
        <form class="toolbar" onSubmit={(e) => void create(e)}>
          <label for="t-principal">Principal</label>
          <input id="t-principal" required value={principal} onInput={(e) => setPrincipal(e.currentTarget.value)} placeholder="payments-api" />
          <label for="t-kind">Kind</label>
          <select id="t-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as 'service' | 'person')}>
            <option value="service">service</option>
            <option value="person">person</option>
          </select>
          <label for="t-policies">Policies (comma-separated)</label>
          <input id="t-policies" required value={policies} onInput={(e) => setPolicies(e.currentTarget.value)} placeholder="payments-read" />
          <label for="t-ttl">Lifetime</label>
          <input id="t-ttl" value={ttl} onInput={(e) => setTtl(e.currentTarget.value)} placeholder="90d (empty: no expiry)" />
          <button type="submit">Create token</button>
        </form>
      )}
      {tokens.data && (
        <table>
          <caption>{tokens.data.length} tokens (the tokens themselves are never stored, only their digests)</caption>
          <thead>
            <tr>
              <th scope="col">Principal</th>
              <th scope="col">Kind</th>
              <th scope="col">Policies</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((t) => (
              <tr key={t.tokenId} data-token-id={t.tokenId}>
                <td>{t.principal}</td>
                <td>{t.kind}</td>
                <td>{t.root ? 'root' : t.policies.join(', ')}</td>
                <td>
                  <span class={`badge ${t.status}`}>{t.status}</span>
                </td>
                <td>{t.createdAt.slice(0, 19)}</td>
                <td>{t.expiresAt?.slice(0, 19) ?? 'never'}</td>
                <td>
                  {t.status === 'active' && !t.root && (
                    <button type="button" class="danger" aria-label={`Revoke the token of ${t.principal}`} onClick={() => void revoke(t.tokenId, t.principal)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};

const NEW_POLICY = JSON.stringify({ rules: [{ allow: ['list', 'describe', 'read'], secrets: ['**'], environments: ['*'] }] }, null, 2);

const Policies = () => {
  const session = useSession();
  const { api } = session;
  const list = useLoad(() => api.listPolicies(), [api]);
  const [name, setName] = useState('');
  const [text, setText] = useState(NEW_POLICY);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const policy = useLoad(() => (name === '' ? Promise.resolve(null) : api.getPolicy(name).catch(() => null)), [api, name, done]);
  useEffect(() => {
    if (isDenied(list.error)) session.refuse('policies', EVERY_ENV);
  }, [list.error]);
  // The named policy's document fills the editor when it arrives, unless the user has typed in it since
  // choosing the name (a slow answer must not overwrite an edit).
  const [edited, setEdited] = useState(false);
  useEffect(() => setEdited(false), [name]);
  useEffect(() => {
    if (policy.data?.current.document && !edited) setText(JSON.stringify(policy.data.current.document, null, 2));
  }, [policy.data]);
  const check = checkPolicyText(text);
  // The what-if replay of exactly this name and text; saving waits for it when the principal may run it.
  const canReplay = offers(session.refusals, 'replay', EVERY_ENV, session.rights);
  const [replay, setReplay] = useState<{ key: string; result: ReplayResult } | null>(null);
  const [replaying, setReplaying] = useState(false);
  const proposal = `${name.trim()}\u0000${text}`;
  const replayed = replay !== null && replay.key === proposal;
  const runReplay = async (): Promise<void> => {
    if (!check.ok) return;
    setError(null);
    setReplaying(true);
    try {
      setReplay({ key: proposal, result: await api.replayPolicy(name.trim(), check.document) });
    } catch (e) {
      setError(e);
      if (isDenied(e)) session.refuse('replay', EVERY_ENV);
    } finally {
      setReplaying(false);
    }
  };
  const save = async (event: Event): Promise<void> => {
    event.preventDefault();
    setError(null);
    setDone('');
    if (!check.ok) return;
    try {
      const result = await api.setPolicy(name.trim(), check.document);
      setDone(result.changed ? `Policy ${name} saved as version ${result.version}.` : `Policy ${name} unchanged (version ${result.version}).`);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  if (list.error) return <ErrorNote error={list.error} />;
  return (
    <section aria-labelledby="policies">
      <h2 id="policies">Policies</h2>
      {list.data && (
        <ul class="policy-list">
          {list.data.map((p) => (
            <li key={p.name}>
              <button type="button" class="link" onClick={() => setName(p.name)}>
                {p.name}
              </button>{' '}
              v{p.version}, {p.rules} rules, held by {p.tokens} tokens
            </li>
          ))}
        </ul>
      )}
      <form class="stack" onSubmit={(e) => void save(e)}>
        <label for="p-name">Policy name</label>
        <input id="p-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="p-doc">Document (JSON)</label>
        <textarea id="p-doc" rows={10} spellcheck={false} value={text} onInput={(e) => {
            setText(e.currentTarget.value);
            setEdited(true);
          }}
          aria-describedby="p-check"
        />
        <p id="p-check" class={check.ok ? 'note ok' : 'note error'} role="status">
          {check.ok ? 'The document is valid.' : check.problem}
        </p>
        <div class="row">
          {canReplay && (
            <button type="button" class="secondary" disabled={!check.ok || name.trim() === '' || replaying} onClick={() => void runReplay()}>
              Run what-if replay
            </button>
          )}
          <button type="submit" disabled={!check.ok || name.trim() === '' || (canReplay && !replayed)}>
            Save policy
          </button>
        </div>
        {canReplay && <p class="hint">Saving waits for the what-if replay of this document: the accesses recorded so far that it would refuse.</p>}
      </form>
      {replayed && <WhatIf result={replay.result} policy={name.trim()} />}
      <ErrorNote error={error} />
      {done && (
        <p role="status" class="note ok">
          {done}
        </p>
      )}
      {policy.data && (
        <table>
          <caption>History of {policy.data.name}</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Set by</th>
              <th scope="col">When</th>
              <th scope="col">Rules</th>
            </tr>
          </thead>
          <tbody>
            {[...policy.data.history].reverse().map((v) => (
              <tr key={v.version}>
                <td>{v.version}</td>
                <td>{v.setBy}</td>
                <td>{v.setAt}</td>
                <td>{v.deleted ? 'deleted' : String((v.document as { rules?: unknown[] } | null)?.rules?.length ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};

/** The what-if answer: past accesses the proposed document would refuse, by principal and secret. */
const WhatIf = ({ result, policy }: { result: ReplayResult; policy: string }) => {
  const denied = result.whatIf?.wouldDeny ?? 0;
  const principals = groupWhatIf(result.whatIf?.groups ?? []);
  return (
    <section aria-labelledby="what-if">
      <h3 id="what-if">What-if replay of {policy}</h3>
      <p role="status" class={denied === 0 ? 'note ok' : 'note denied'}>
        {denied === 0
          ? `None of the ${result.checked} recorded actions through log position ${result.head} would be refused.`
          : `${denied} of the ${result.checked} recorded actions through log position ${result.head} would be refused.`}
      </p>
      {(result.whatIf?.warnings ?? []).map((warning) => (
        <p role="alert" class="note denied">
          Warning: {warning}
        </p>
      ))}
      {principals.length > 0 && (
        <table class="what-if">
          <caption>Accesses it would refuse, by principal and secret</caption>
          <thead>
            <tr>
              <th scope="col">Principal</th>
              <th scope="col">Environment</th>
              <th scope="col">Secret</th>
              <th scope="col">Capabilities</th>
              <th scope="col">Times</th>
              <th scope="col">Last</th>
            </tr>
          </thead>
          <tbody>
            {principals.flatMap((p) =>
              p.secrets.map((s, i) => (
                <tr key={`${p.principal}/${s.env}/${s.secret ?? ''}`}>
                  {i === 0 ? (
                    <th scope="rowgroup" rowSpan={p.secrets.length}>
                      {p.principal} ({p.count})
                    </th>
                  ) : null}
                  <td>{s.env}</td>
                  <td>{s.secret ?? '(whole environment)'}</td>
                  <td>{s.capabilities.join(', ')}</td>
                  <td>{s.count}</td>
                  <td>{s.last}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
};
