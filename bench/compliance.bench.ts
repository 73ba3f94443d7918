import Database from 'better-sqlite3';
import { createWriteStream, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SetPolicy } from '../src/access/commands/set-policy/set-policy.use-case.js';
import { CreateToken } from '../src/access/commands/create-token/create-token.use-case.js';
import type { Strongroom } from '../src/bootstrap/strongroom.js';
import { SignCheckpoint } from '../src/compliance/commands/sign-checkpoint/sign-checkpoint.use-case.js';
import { exportLines } from '../src/compliance/queries/export-audit-log/export-lines.js';
import { ExportAuditLog } from '../src/compliance/queries/export-audit-log/export-audit-log.use-case.js';
import { GetAccessReport } from '../src/compliance/queries/get-access-report/get-access-report.use-case.js';
import { GetStateAt } from '../src/compliance/queries/get-state-at/get-state-at.use-case.js';
import { ReplayPolicies } from '../src/compliance/queries/replay-policies/replay-policies.use-case.js';
import { auditPublicKey } from '../src/compliance/signing-key.js';
import { verifyExport } from '../src/compliance/verify-export.js';
import type { CurrentInventory } from '../src/compliance/access-report.js';
import { reportText } from '../src/compliance/report-text.js';
import { accessIndexDir } from '../src/compliance/access-index/access-index.js';
import { readAllPages } from '../src/audit/verify-chain.js';
import { PROJECTED_CATEGORIES } from '../src/projection/strongroom-projection.js';
import { accessStream } from '../src/secrets/secret-streams.js';
import { dbPathOf, openAt, storeMany } from './strongroom.bench.js';

/**
 * Compliance figures (issue 9): each beside a raw better-sqlite3 read of the same rows in the same run.
 * The logs are seeded once per home; every run then measures on the same log.
 */

const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;

/**
 * Appends `count` SecretAccessed events by one service token (allowed by its policy), spread evenly
 * over the year before now, through the SQLite adapter (sealed, group-committed) rather than 10
 * million requests: the figures are about reading the log, not writing it.
 */
export const seedAccesses = async (s: Strongroom, ids: readonly string[], count: number): Promise<void> => {
  await s.execute(SetPolicy, { name: 'bench-app', document: { rules: [{ allow: ['read'], secrets: ['**'], environments: ['*'] }] } });
  const token = await s.execute(CreateToken, { principal: 'bench-app', policies: ['bench-app'] });
  const start = Date.now() - 365 * 86_400_000;
  const step = (365 * 86_400_000) / Math.max(1, count);
  const { store } = s.runtime;
  const PER_APPEND = 500;
  let written = 0;
  while (written < count) {
    const appends: Promise<unknown>[] = [];
    for (let k = 0; k < 32 && written < count; k++) {
      const k = (written / PER_APPEND) % ids.length | 0;
      const id = ids[k] as string;
      const n = Math.min(PER_APPEND, count - written);
      const at = new Date(start + written * step).toISOString();
      const metadata = { actor: 'bench-app', actorKind: 'service', tokenId: token.tokenId, interface: 'http' as const, correlationId: 'bench', occurredAt: at };
      appends.push(
        store.appendToStream(
          accessStream(id),
          Array.from({ length: n }, () => ({ type: 'SecretAccessed', schemaVersion: 1, data: { secretId: id, name: `s-${k}`, version: 1, allowedBy: { policy: 'bench-app', version: 1, rule: 0 } }, metadata })),
          { expectedRevision: 'any' },
        ),
      );
      written += n;
    }
    await Promise.all(appends);
  }
};

/** Raw read of rows (every column, no parsing) in position order; rows/s and row count. */
export const rawRead = (home: string, where = '', ...params: unknown[]): { rows: number; seconds: number } => {
  const db = new Database(dbPathOf(home), { readonly: true });
  try {
    const t0 = process.hrtime.bigint();
    let rows = 0;
    for (const _row of db.prepare(`SELECT position, stream, category, revision, type, schema_version, data, metadata, digest, hash FROM events ${where} ORDER BY position`).raw().iterate(...params)) rows++;
    return { rows, seconds: seconds(t0) };
  } finally {
    db.close();
  }
};

/** The head position of the log in `home` (0 when there is none yet). */
export const headOf = (home: string): number => {
  if (!existsSync(dbPathOf(home))) return 0;
  const db = new Database(dbPathOf(home), { readonly: true });
  try {
    return (db.prepare('SELECT max(position) FROM events').pluck().get() as number | null) ?? 0;
  } finally {
    db.close();
  }
};

/** A home with `secrets` secrets and `accesses` access events. Returns the head position. */
export const seedComplianceHome = async (home: string, secrets: number, accesses: number): Promise<number> => {
  const s = await openAt(home);
  try {
    const { ids } = await storeMany(s, secrets);
    await seedAccesses(s, ids, accesses);
    return await s.runtime.store.headPosition();
  } finally {
    await s.close();
  }
};

export interface PointInTimeFigures {
  readonly ms: number;
  readonly rawMs: number;
  readonly secrets: number;
}

/** GetStateAt at `position` through the pipeline, and a raw read of the same projected rows up to it. */
export const benchPointInTime = async (home: string, position: number): Promise<PointInTimeFigures> => {
  const s = await openAt(home);
  try {
    await s.execute(GetStateAt, { at: 1 }); // warm-up (JIT, first durable append), not timed
    const t0 = process.hrtime.bigint();
    const state = await s.execute(GetStateAt, { at: position });
    const ms = seconds(t0) * 1000;
    const placeholders = PROJECTED_CATEGORIES.map(() => '?').join(',');
    const raw = rawRead(home, `WHERE category IN (${placeholders}) AND position <= ?`, ...PROJECTED_CATEGORIES, position);
    return { ms, rawMs: raw.seconds * 1000, secrets: state.secrets.length };
  } finally {
    await s.close();
  }
};

export interface ScanFigures {
  /** The whole-log report as the CLI prints it and HTTP streams it (CSV text, every chunk consumed), events/s and seconds. */
  readonly reportText: number;
  readonly reportTextSeconds: number;
  /** The same report again with the access index the first one wrote (whole chunks read from their files), events/s and seconds. */
  readonly reportWarm: number;
  readonly reportWarmSeconds: number;
  /** The same CSV text folded on the calling thread alone, events/s. */
  readonly reportOneThread: number;
  /** The same report as row objects (the library's `rows`, every row consumed), events/s; absent when skipped. */
  readonly report?: number;
  /** A report on one secret (`--secret s-0`), ms, and a raw read of that secret's access rows, ms. */
  readonly oneSecretMs: number;
  readonly oneSecretRawMs: number;
  readonly oneSecretRows: number;
  readonly replay: number;
  readonly replaySeconds: number;
  /** Absent when the run skips export (BENCH_COMPLIANCE_EXPORT=0). */
  readonly exportRate?: number;
  readonly verify?: number;
  readonly raw: number;
  readonly events: number;
}

/**
 * Report (as text and as rows), replay, and optionally export and public verification over the whole
 * log, each in events/s, and the raw read of it.
 */
export const benchScans = async (home: string, withExport = true, withRows = true): Promise<ScanFigures> => {
  const s = await openAt(home);
  const exportDir = join(home, 'bench-export');
  try {
    const head = await s.runtime.store.headPosition();
    // Cold: no access index yet (this report folds the log and writes it), as every report did before the index.
    rmSync(accessIndexDir(home), { recursive: true, force: true });
    const csvReport = async (): Promise<{ bytes: number; lines: number; seconds: number }> => {
      const t0 = process.hrtime.bigint();
      const asText = await s.execute(GetAccessReport, {});
      let bytes = 0;
      let lines = 0;
      for await (const chunk of asText.lines('csv')) {
        bytes += chunk.length;
        for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) lines++;
      }
      return { bytes, lines, seconds: seconds(t0) };
    };
    const cold = await csvReport();
    const { bytes, lines } = cold;
    const reportTextSeconds = cold.seconds;
    if (lines < head / 2) throw new Error(`the report printed ${lines} lines (${bytes} characters) for ${head} events`);
    // Warm: the same report through the index the cold one wrote; the same text.
    const warm = await csvReport();
    if (warm.bytes !== bytes || warm.lines !== lines) throw new Error(`the warm report printed ${warm.lines} lines (${warm.bytes} characters), the cold one ${lines} (${bytes})`);
    let t0: bigint;

    // The same text on this thread alone (the path below the threading threshold, and on stores without range reads).
    t0 = process.hrtime.bigint();
    const inventory = (): CurrentInventory => ({ secrets: [...s.runtime.projection.liveSecrets()].map((x) => ({ id: x.id, name: x.name, env: x.env, createdAt: x.createdAt })), tokens: [...s.runtime.projection.accessState.allTokens()] });
    let oneThreadBytes = 0;
    for await (const chunk of reportText({ pages: readAllPages(s.runtime.store, 2_000) }, {}, inventory, s.runtime.clock.now(), 'csv')) oneThreadBytes += chunk.length;
    const reportOneThreadSeconds = seconds(t0);
    if (oneThreadBytes !== bytes) throw new Error(`one thread printed ${oneThreadBytes} characters, the threads ${bytes}`);

    let reportSeconds: number | undefined;
    if (withRows) {
      t0 = process.hrtime.bigint();
      const report = await s.execute(GetAccessReport, {});
      let rows = 0;
      for await (const _row of report.rows) rows++;
      reportSeconds = seconds(t0);
      if (rows < head / 2) throw new Error(`the report returned ${rows} rows for ${head} events`);
    }

    t0 = process.hrtime.bigint();
    const one = await s.execute(GetAccessReport, { secret: 's-0' });
    let oneRows = 0;
    for await (const row of one.rows) if (row.kind === 'read') oneRows++;
    const oneSecretMs = seconds(t0) * 1000;
    const id = [...s.runtime.projection.liveSecrets()].find((x) => x.name === 's-0')?.id;
    const oneRaw = rawRead(home, 'WHERE stream = ?', accessStream(id ?? ''));
    if (oneRaw.rows !== oneRows) throw new Error(`the report on s-0 found ${oneRows} reads, the table ${oneRaw.rows}`);

    t0 = process.hrtime.bigint();
    const replay = await s.execute(ReplayPolicies, {});
    const replaySeconds = seconds(t0);
    if (replay.findingsTotal !== 0) throw new Error(`replay found ${replay.findingsTotal} problems in an honest log`);
    if (replay.confirmedAllowed < head / 2) throw new Error(`replay confirmed ${replay.confirmedAllowed} reads of ${head} events`);
    const raw = rawRead(home);
    const scans = { reportText: head / reportTextSeconds, reportTextSeconds, reportWarm: head / warm.seconds, reportWarmSeconds: warm.seconds, reportOneThread: head / reportOneThreadSeconds, oneSecretMs, oneSecretRawMs: oneRaw.seconds * 1000, oneSecretRows: oneRows, ...(reportSeconds !== undefined && { report: head / reportSeconds }), replay: head / replaySeconds, replaySeconds, raw: raw.rows / raw.seconds, events: head };
    if (!withExport) return scans;

    await s.execute(SignCheckpoint, {});
    rmSync(exportDir, { recursive: true, force: true });
    t0 = process.hrtime.bigint();
    const exported = await s.execute(ExportAuditLog, {});
    await pipeline(Readable.from(exportLines(exported)), createWriteStream(join(home, 'bench-export.jsonl')));
    const exportSeconds = seconds(t0);
    const events = await s.runtime.store.headPosition();

    const { publicKey: publicKeyPem } = await auditPublicKey(s.options, s.runtime.store);
    t0 = process.hrtime.bigint();
    const verified = await verifyExport({ exportPath: join(home, 'bench-export.jsonl'), publicKeyPem });
    const verifySeconds = seconds(t0);
    if (!verified.ok) throw new Error(`the export did not verify: ${JSON.stringify(verified.problem)}`);
    rmSync(join(home, 'bench-export.jsonl'), { force: true });

    return { ...scans, exportRate: verified.events / exportSeconds, verify: verified.events / verifySeconds, events };
  } finally {
    await s.close();
  }
};
