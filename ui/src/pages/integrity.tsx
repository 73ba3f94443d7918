import { useEffect } from 'preact/hooks';
import { ErrorNote, isDenied } from '../components/error-note.js';
import { useLoad } from '../components/use-load.js';
import { EVERY_ENV } from '../logic/permissions.js';
import { useSession } from '../session.js';

/**
 * Integrity: the hash chain verified by the server (every digest and HMAC link recomputed) and up to
 * which position. Signed checkpoints and the auditor's export belong to the compliance API, which this
 * server does not offer yet; the page says so rather than pretend.
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
      <section aria-labelledby="checkpoints">
        <h2 id="checkpoints">Signed checkpoints and export</h2>
        <p>This server does not offer signed checkpoints or the auditor’s export yet (the compliance API). Until it does, keep the head position and hash above as your checkpoint: a later verification against them detects a truncated log (strongroom audit verify --checkpoint POSITION:HASH).</p>
      </section>
    </>
  );
};
