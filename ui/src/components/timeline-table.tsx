import { outcomeOf, type AuditEntry } from '../logic/timeline.js';

/** Audit entries as a table, newest first; refusals are marked in words and colour. */
export const TimelineTable = ({ entries, names, caption }: { entries: readonly AuditEntry[]; names: ReadonlyMap<string, string>; caption: string }) => (
  <table class="timeline">
    <caption>{caption}</caption>
    <thead>
      <tr>
        <th scope="col">Position</th>
        <th scope="col">When (UTC)</th>
        <th scope="col">Event</th>
        <th scope="col">Secret</th>
        <th scope="col">Env</th>
        <th scope="col">Principal</th>
        <th scope="col">Via</th>
        <th scope="col">Rule / reason</th>
      </tr>
    </thead>
    <tbody>
      {[...entries].reverse().map((e) => {
        const refused = outcomeOf(e) === 'refused';
        return (
          <tr key={e.position} class={refused ? 'refused' : undefined} data-type={e.type}>
            <td>{e.position}</td>
            <td>{e.occurredAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</td>
            <td>
              {refused && <span class="badge refused">refused</span>} {e.type}
            </td>
            <td>{e.name ?? (e.secretId && (names.get(e.secretId) ?? e.secretId.slice(0, 8)))}</td>
            <td>{e.env}</td>
            <td>{e.actor}</td>
            <td>{e.interface}</td>
            <td>{[e.capability, e.rule, e.reason].filter(Boolean).join(' · ')}</td>
          </tr>
        );
      })}
    </tbody>
  </table>
);
