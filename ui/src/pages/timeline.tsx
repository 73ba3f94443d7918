import { useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorNote, isDenied } from '../components/error-note.js';
import { TimelineTable } from '../components/timeline-table.js';
import { EVERY_ENV } from '../logic/permissions.js';
import { matches, mergeEntries, namesOf, NO_FILTER, type AuditEntry, type Outcome, type TimelineFilter } from '../logic/timeline.js';
import { useSession } from '../session.js';

/** How much history the timeline reads before the live events, and again on each "load earlier". */
const HISTORY = 500;
/** The most events the page keeps (the oldest go first). */
const WINDOW = 20_000;

const isoOf = (local: string): string => (local === '' ? '' : new Date(local).toISOString());

/**
 * The whole log's audit timeline: the last HISTORY events, then new ones as they commit, filtered by type,
 * outcome, principal, secret, environment and time. Refusals (denials, failed sign-ins) are highlighted.
 */
export const TimelinePage = () => {
  const session = useSession();
  const { api, feed } = session;
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [filter, setFilter] = useState<TimelineFilter>(NO_FILTER);
  const [head, setHead] = useState<number | null>(feed.state.kind === 'live' ? feed.state.head : null);
  const [arrived, setArrived] = useState(0);
  // Until the recent history is in, "earlier" is not yet defined: live entries alone would make it the
  // wrong window, and the history would then land on top of it.
  const [historyLoaded, setHistoryLoaded] = useState(false);

  useEffect(() => feed.onState((state) => state.kind === 'live' && setHead((h) => h ?? state.head)), [feed]);
  useEffect(
    () =>
      feed.onEntries((batch) => {
        setEntries((old) => mergeEntries(old, batch, WINDOW));
        setArrived((n) => n + batch.length);
      }),
    [feed],
  );
  useEffect(() => {
    if (head === null) return;
    let current = true;
    api.auditTrail({ from: Math.max(0, head - HISTORY), limit: HISTORY }).then(
      (read) => {
        if (!current) return;
        setEntries((old) => mergeEntries(read, old, WINDOW));
        setHistoryLoaded(true);
      },
      (e: unknown) => {
        if (!current) return;
        if (isDenied(e)) session.refuse('timeline', EVERY_ENV);
        setError(e);
      },
    );
    return () => {
      current = false;
    };
  }, [api, head]);

  const oldest = entries[0]?.position ?? head ?? 0;
  const loadEarlier = async (): Promise<void> => {
    try {
      const from = Math.max(0, oldest - 1 - HISTORY);
      const read = await api.auditTrail({ from, limit: oldest - 1 - from });
      setEntries((old) => mergeEntries(read, old, WINDOW));
    } catch (e) {
      setError(e);
    }
  };

  const names = useMemo(() => namesOf(entries), [entries]);
  const types = useMemo(() => [...new Set(entries.map((e) => e.type))].sort(), [entries]);
  const shown = useMemo(() => entries.filter((e) => matches(e, filter, names)), [entries, filter, names]);
  const set = (patch: Partial<TimelineFilter>): void => setFilter((f) => ({ ...f, ...patch }));

  return (
    <>
      <h1>Audit timeline</h1>
      <p>
        Every change and every read, from the tamper-evident log, live. <span aria-live="polite">{arrived > 0 ? `${arrived} new events since you opened this page.` : ''}</span>
      </p>
      {feed.state.kind === 'refused' && <p class="note denied">{feed.state.message}</p>}
      <ErrorNote error={error} />
      <form class="toolbar filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label for="f-type">Type</label>
        <select id="f-type" value={filter.type} onChange={(e) => set({ type: e.currentTarget.value })}>
          <option value="">all</option>
          {types.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <label for="f-outcome">Outcome</label>
        <select id="f-outcome" value={filter.outcome} onChange={(e) => set({ outcome: e.currentTarget.value as Outcome | '' })}>
          <option value="">all</option>
          <option value="refused">refused (denied, failed sign-in)</option>
          <option value="allowed">allowed</option>
        </select>
        <label for="f-principal">Principal</label>
        <input id="f-principal" type="search" value={filter.principal} onInput={(e) => set({ principal: e.currentTarget.value })} />
        <label for="f-secret">Secret</label>
        <input id="f-secret" type="search" value={filter.secret} onInput={(e) => set({ secret: e.currentTarget.value })} placeholder="name, prefix/ or id" />
        <label for="f-env">Environment</label>
        <input id="f-env" type="search" value={filter.env} onInput={(e) => set({ env: e.currentTarget.value })} />
        <label for="f-since">From</label>
        <input id="f-since" type="datetime-local" onInput={(e) => set({ since: isoOf(e.currentTarget.value) })} />
        <label for="f-until">To</label>
        <input id="f-until" type="datetime-local" onInput={(e) => set({ until: isoOf(e.currentTarget.value) })} />
      </form>
      <TimelineTable entries={shown} names={names} caption={`${shown.length} of ${entries.length} events (log positions ${oldest} on)`} />
      {oldest > 1 && (
        <button type="button" class="secondary" disabled={!historyLoaded} onClick={() => void loadEarlier()}>
          Load {HISTORY} earlier events
        </button>
      )}
    </>
  );
};
