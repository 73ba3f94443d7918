import { useEffect, useState } from 'preact/hooks';
import { ErrorNote, isDenied } from '../components/error-note.js';
import { useLoad } from '../components/use-load.js';
import { EVERY_ENV, offers } from '../logic/permissions.js';
import { useSession } from '../session.js';

/**
 * Integrity: the hash chain verified by the server (every digest and HMAC link recomputed) and up to
 * which position, the last signed checkpoint (sign one on demand), and the auditor's export.
 */
export const IntegrityPage = () => {
  const session = useSession();
  const verification = useLoad(() => session.api.verifyLog(), [session.api]);
  useEffect(() => {
    if (isDenied(verification.error)) session.refuse('verify', EVERY_ENV);
  }, [verification.error]);
  const v = verification.data;
  return (
    <>
      <h1>Integrity</h1>
      <ErrorNote error={verification.error} />
      {verification.loading && <p aria-live="polite">Verifying the whole chain…</p>}
      {v && (
        <section aria-labelledby="chain">
          <h2 id="chain">Hash chain</h2>
          {v.ok ? (
            <p class="note ok" role="status">
              The chain is intact: {v.events} events verified through log position {v.head?.position ?? 0}.
            </p>
          ) : (
            <p class="note error" role="alert">
              The chain is broken at position {v.firstBad?.position}: {v.firstBad?.problem} ({v.firstBad?.detail}).
            </p>
          )}
          {v.head && (
            <dl class="facts">
              <dt>Head position</dt>
              <dd>{v.head.position}</dd>
              <dt>Head hash</dt>
              <dd>
                <code>{v.head.hash}</code>
              </dd>
            </dl>
          )}
          <button type="button" class="secondary" onClick={verification.reload}>
            Verify again
          </button>
        </section>
      )}
      {offers(session.refusals, 'signCheckpoint', EVERY_ENV, session.rights) && <Checkpoint />}
      {offers(session.refusals, 'exportLog', EVERY_ENV, session.rights) && <AuditorExport />}
    </>
  );
};

/** The last signed checkpoint (asked without signing) and a button that signs the head now. */
const Checkpoint = () => {
  const session = useSession();
  const last = useLoad(() => session.api.lastCheckpoint(), [session.api]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (isDenied(last.error)) session.refuse('signCheckpoint', EVERY_ENV);
  }, [last.error]);
  const sign = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await session.api.signCheckpoint();
      last.reload();
    } catch (e) {
      setError(e);
      if (isDenied(e)) session.refuse('signCheckpoint', EVERY_ENV);
    } finally {
      setBusy(false);
    }
  };
  const c = last.data?.checkpoint;
  return (
    <section aria-labelledby="checkpoints">
      <h2 id="checkpoints">Signed checkpoint</h2>
      <ErrorNote error={last.error ?? error} />
      {last.data && !c && <p>No checkpoint has been signed yet.</p>}
      {c && (
        <>
          <p class="note ok" role="status">
            Checkpoint {c.sequence} signed at {c.signedAt} covers the log through position {c.position}.
          </p>
          <dl class="facts">
            <dt>Public chain head</dt>
            <dd>
              <code>{c.publicHead}</code>
            </dd>
            <dt>Signing key</dt>
            <dd>
              <code>{c.keyId}</code>
            </dd>
            <dt>Signature (Ed25519)</dt>
            <dd>
              <code class="wrap">{c.signature}</code>
            </dd>
          </dl>
        </>
      )}
      <button type="button" class="secondary" disabled={busy} onClick={() => void sign()}>
        Sign a checkpoint now
      </button>
    </section>
  );
};

/**
 * The auditor's export: the whole log as JSON lines, read through the SDK (the token in the header, never
 * in a URL) and saved from a file built in the browser.
 */
const AuditorExport = () => {
  const session = useSession();
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const exportLog = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setDone('');
    try {
      const lines = await session.api.exportAuditLog();
      const blob = new Blob([lines.map((l) => JSON.stringify(l)).join('\n') + '\n'], { type: 'application/jsonl' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `strongroom-audit-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`;
      document.body.append(a);
      a.click();
      a.remove();
      // The click has handed the file to the browser; the object URL is not needed after it.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setDone(`Exported ${lines.length} lines for the auditor.`);
    } catch (e) {
      setError(e);
      if (isDenied(e)) session.refuse('exportLog', EVERY_ENV);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="export">
      <h2 id="export">Export for an auditor</h2>
      <p>The whole log as JSON lines, exactly as the server exports it, to verify elsewhere with strongroom audit verify --export.</p>
      <button type="button" disabled={busy} onClick={() => void exportLog()}>
        Export the audit log
      </button>
      <ErrorNote error={error} />
      {done && (
        <p role="status" class="note ok">
          {done}
        </p>
      )}
    </section>
  );
};
