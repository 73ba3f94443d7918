import { useEffect, useState } from 'preact/hooks';
import type { RotateKeyResult } from '../api.js';
import { ErrorNote, isDenied } from '../components/error-note.js';
import { useLoad } from '../components/use-load.js';
import { offers } from '../logic/permissions.js';
import { hrefOf } from '../logic/route.js';
import { percentDone, rotationProgress, type RotationProgress } from '../logic/rotation-progress.js';
import { mergeEntries, type AuditEntry } from '../logic/timeline.js';
import { useSession } from '../session.js';

/**
 * Rotations of an environment: data-key rotations (start one and watch it re-encrypt every secret, live
 * from the audit feed) and secrets whose value rotation is overdue or due soon.
 */
export const RotationsPage = ({ env }: { env: string }) => {
  const session = useSession();
  const { api } = session;
  const envs = useLoad(() => api.listEnvironments(), [api]);
  const status = useLoad(() => api.rotationStatus(env), [api, env]);
  const keys = useLoad(() => api.keyRotations(env), [api, env]);
  useEffect(() => {
    if (isDenied(keys.error)) session.refuse('keyRotations', env);
  }, [keys.error]);
  const total = envs.data?.find((e) => e.env === env)?.liveSecrets ?? 0;
  return (
    <>
      <h1>Rotations</h1>
      <form class="toolbar" onSubmit={(e) => e.preventDefault()}>
        <label for="rot-env">Environment</label>
        <select id="rot-env" value={env} onChange={(e) => (location.hash = hrefOf({ page: 'rotations', env: e.currentTarget.value }))}>
          {(envs.data ?? [{ env }]).map((e) => (
            <option key={e.env} value={e.env}>
              {e.env}
            </option>
          ))}
        </select>
      </form>
      {offers(session.refusals, 'rotateKey', env, session.rights) && <RotateKey env={env} total={total} onDone={keys.reload} />}
      <h2>Data-key rotations</h2>
      <ErrorNote error={keys.error} />
      {keys.data && (
        <table>
          <caption>{keys.data.rotations.length === 0 ? 'No data-key rotation yet.' : `${keys.data.rotations.length} rotations, newest first`}</caption>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">By</th>
              <th scope="col">New key</th>
              <th scope="col">Re-encrypted</th>
              <th scope="col">Failures</th>
              <th scope="col">Completed</th>
            </tr>
          </thead>
          <tbody>
            {[...keys.data.rotations].reverse().map((r) => (
              <tr key={r.rotationId}>
                <td>{r.startedAt}</td>
                <td>{r.startedBy}</td>
                <td>{r.newKeyId}</td>
                <td>{r.reEncrypted ?? 'in progress'}</td>
                <td>{r.failures.length}</td>
                <td>{r.completedAt ?? 'running'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Secret rotations due</h2>
      <ErrorNote error={status.error} />
      {status.data && (
        <>
          <DueTable caption={`Overdue (${status.data.overdue.length})`} entries={status.data.overdue} env={env} />
          <DueTable caption={`Due within 30 days (${status.data.upcoming.length})`} entries={status.data.upcoming} env={env} />
          <table>
            <caption>{`Expired or expiring within 30 days (${status.data.expiring.length})`}</caption>
            <thead>
              <tr>
                <th scope="col">Secret</th>
                <th scope="col">Expires</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {status.data.expiring.map((e) => (
                <tr key={e.id} class={e.expired ? 'refused' : undefined}>
                  <td>
                    <a href={hrefOf({ page: 'secret', env, name: e.name })}>{e.name}</a>
                  </td>
                  <td>{e.expiresAt}</td>
                  <td>{e.expired ? 'expired' : 'expiring'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
};

const DueTable = ({ caption, entries, env }: { caption: string; entries: readonly { id: string; name: string; every: string; dueAt: string; pendingVersion: number | null }[]; env: string }) => (
  <table>
    <caption>{caption}</caption>
    <thead>
      <tr>
        <th scope="col">Secret</th>
        <th scope="col">Every</th>
        <th scope="col">Due</th>
        <th scope="col">Pending version</th>
      </tr>
    </thead>
    <tbody>
      {entries.map((e) => (
        <tr key={e.id}>
          <td>
            <a href={hrefOf({ page: 'secret', env, name: e.name })}>{e.name}</a>
          </td>
          <td>{e.every}</td>
          <td>{e.dueAt}</td>
          <td>{e.pendingVersion ?? ''}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

const ROTATION_EVENTS: ReadonlySet<string> = new Set(['KeyRotationStarted', 'SecretReEncrypted', 'SecretReEncryptionFailed', 'KeyRotationCompleted']);

/** Starts a data-key rotation and follows its events on the live feed until it completes. */
const RotateKey = ({ env, total, onDone }: { env: string; total: number; onDone: () => void }) => {
  const session = useSession();
  const { api, feed } = session;
  const [since, setSince] = useState<number | null>(null);
  const [events, setEvents] = useState<AuditEntry[]>([]);
  const [result, setResult] = useState<RotateKeyResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Only a rotation's own events are kept, and only while one is followed: the feed carries everything else too.
  useEffect(
    () =>
      feed.onEntries((batch) => {
        const mine = batch.filter((e) => ROTATION_EVENTS.has(e.type));
        if (mine.length > 0) setEvents((old) => mergeEntries(old, mine, 1_000_000));
      }),
    [feed],
  );
  const progress: RotationProgress | null = since === null ? null : rotationProgress(events, env, since);
  const start = async (): Promise<void> => {
    setError(null);
    setResult(null);
    setEvents([]);
    setSince(feed.state.kind === 'live' ? feed.state.head : 0);
    try {
      setResult(await api.rotateKey(env));
      onDone();
    } catch (e) {
      if (isDenied(e)) session.refuse('rotateKey', env);
      setError(e);
    }
  };
  const running = since !== null && result === null && error === null;
  return (
    <section aria-labelledby="rotate-key">
      <h2 id="rotate-key">Rotate the data key of {env}</h2>
      <p>A new data key is created and every secret of {env} is re-encrypted under it; reads keep working throughout.</p>
      <button type="button" disabled={running} onClick={() => void start()}>
        Rotate data key
      </button>
      <ErrorNote error={error} />
      {progress && (
        <div class="progress">
          <label for="rotation-progress">
            Rotation {progress.rotationId.slice(0, 8)}: {progress.reEncrypted} re-encrypted{progress.failed > 0 ? `, ${progress.failed} failed` : ''} of about {total}
          </label>
          <progress id="rotation-progress" max={100} value={percentDone(progress, total)}>
            {percentDone(progress, total)}%
          </progress>
        </div>
      )}
      {result && (
        <p role="status" class="note ok">
          Rotation completed: {result.reEncrypted} secrets re-encrypted, {result.failed} failed.
        </p>
      )}
      {running && !progress && <p aria-live="polite">Starting…</p>}
    </section>
  );
};
