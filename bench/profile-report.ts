import { existsSync } from 'node:fs';
import { GetAccessReport } from '../src/compliance/queries/get-access-report/get-access-report.use-case.js';
import { ReplayPolicies } from '../src/compliance/queries/replay-policies/replay-policies.use-case.js';
import { reportLines } from '../src/compliance/queries/get-access-report/report-format.js';
import { openAt } from './strongroom.bench.js';
import { rawRead, seedComplianceHome } from './compliance.bench.js';

/**
 * A tool for profiling the whole-log report and replay (not part of `npm run bench`):
 *   node [--cpu-prof] dist-bench/bench/profile-report.js HOME EVENTS MODE
 * seeds HOME with EVENTS access events over 1,000 secrets when it has no log yet (as the bench does),
 * then runs MODE twice and prints events/s and a raw read of the same rows. MODE: rows (library rows),
 * json | csv | table (the text the CLI prints), old-json | old-csv | old-table (rows formatted line by
 * line), unused (rows with --unused-days), replay.
 */
const home = process.argv[2] ?? '/tmp/rs/home';
const n = Number(process.argv[3] ?? 200_000);
const what = process.argv[4] ?? 'report';
if (!existsSync(`${home}/strongroom.db`)) {
  const t0 = Date.now();
  await seedComplianceHome(home, 1000, n);
  console.error(`seeded ${n} in ${Date.now() - t0} ms`);
}
const s = await openAt(home);
const head = await s.runtime.store.headPosition();
for (let i = 0; i < 2; i++) {
  const t0 = process.hrtime.bigint();
  let count = 0;
  if (what === 'replay') {
    await s.execute(ReplayPolicies, {});
    count = head;
  } else {
    const report = await s.execute(GetAccessReport, what === 'unused' ? { unusedDays: 30 } : {});
    if (what === 'rows' || what === 'unused') for await (const _r of report.rows) count++;
    else if (what.startsWith('old-')) for await (const l of reportLines(report.rows, what.slice(4) as 'json' | 'csv' | 'table')) count += l.length;
    else for await (const l of report.lines(what as 'json' | 'csv' | 'table')) count += l.length;
  }
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  console.error(`${what}: ${count} in ${sec.toFixed(2)} s = ${Math.round(head / sec)} events/s`);
}
const raw = rawRead(home);
console.error(`raw: ${raw.rows} rows ${Math.round(raw.rows / raw.seconds)} rows/s`);
await s.close();
