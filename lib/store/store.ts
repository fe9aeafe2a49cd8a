// The store that survives restarts: history at several resolutions and the journal, in SQLite by
// default or in PostgreSQL when a URL is configured. Every refresh writes it, viewers or not. It
// never takes the dashboard down: a fault (unwritable or corrupt file, full disk, PostgreSQL down,
// a migration that fails) makes it unavailable with a reason; it tries again by itself, and what
// was stored stays. Writing is sparse: a series gets a row only when its point changes.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import type { JournalEntry, JournalSubject } from '@/lib/domain/journal';
import { SERIES_FIELDS, type SeriesPoint } from '@/lib/domain/series';
import { type JournalKind, SERIES_SCOPES, type SeriesScope } from '@/lib/domain/vocabulary';
import { type Dialect, migrationProvider, tuneSqlite } from './migrations';
import type { StoreDatabase } from './schema';

export interface Resolution {
  stepMs: number;
  keepMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** 5 s for an hour, 1 min for a day, 10 min for 14 days. */
export const DEFAULT_RESOLUTIONS: readonly Resolution[] = [
  { stepMs: 5000, keepMs: HOUR },
  { stepMs: MINUTE, keepMs: DAY },
  { stepMs: 10 * MINUTE, keepMs: 14 * DAY },
];
/** After a fault, the next try comes no sooner than this. */
const RETRY_MS = 10_000;
/** Old rows are removed this often. */
const PRUNE_EVERY_MS = 10 * MINUTE;
/** Journal entries kept for the next try while the store is unavailable. */
const MAX_PENDING = 50_000;
/** Rows per INSERT (SQLite allows 32766 parameters to a statement). */
const CHUNK = 2000;

export type StoreStatus = { state: 'ok'; where: string } | { state: 'unavailable'; where: string; reason: string; since: number };

export interface StoreOptions {
  /** A file path (SQLite) or a postgres:// URL. */
  location: string;
  resolutions?: readonly Resolution[];
  now?: () => number;
}

export interface SeriesAnswer {
  stepMs: number;
  /** Oldest first; a point of nulls marks where the dashboard was not watching. */
  points: ({ t: number } & SeriesPoint)[];
}

export interface JournalQuery {
  from: number;
  to: number;
  host?: string;
  binary?: string;
  /** Binaries whose name starts so (a component's: `nova-`). */
  binaryPrefix?: string;
  process?: string;
  vhost?: string;
  queue?: string;
  kinds?: readonly JournalKind[];
  limit?: number;
}

const samePoint = (a: SeriesPoint, b: SeriesPoint) =>
  a.ready === b.ready && a.unacked === b.unacked && a.consumers === b.consumers && a.publish === b.publish && a.deliver === b.deliver && a.ack === b.ack && a.redeliver === b.redeliver;
const NOTHING: SeriesPoint = { ready: null, unacked: null, consumers: null, publish: null, deliver: null, ack: null, redeliver: null };

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = e?.message ?? String(err);
  switch (e?.code) {
    case 'SQLITE_FULL':
      return `the disk is full (${message})`;
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_READONLY':
    case 'EACCES':
      return `the database file cannot be written (${message})`;
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return `the database file is corrupt (${message}); it is left as it is`;
    case 'ECONNREFUSED':
      return `PostgreSQL does not answer (${message})`;
    case '57014':
      return `PostgreSQL answers too slowly: a statement was cancelled after its timeout (${message})`;
    default:
      return /timeout exceeded when trying to connect|connection timeout/.test(message) ? `PostgreSQL answers too slowly (${message})` : message;
  }
}

/** One resolution's bookkeeping for one cluster. A bucket is written by the first refresh in it, once. */
interface ResolutionMemory {
  bucket: number | null;
  /** The point last written of each series: the row a reader carries forward. */
  written: Map<SeriesScope, Map<string, SeriesPoint>>;
  /** The series that changed (or went away) since this resolution's last bucket was written. */
  changed: Map<SeriesScope, Set<string>>;
}

interface ClusterMemory {
  /** The point last seen of each series, whatever was written. */
  seen: Map<SeriesScope, Map<string, SeriesPoint>>;
  steps: Map<number, ResolutionMemory>;
}

function inner<K, V>(outer: Map<K, V>, key: K, make: () => V): V {
  let v = outer.get(key);
  if (v === undefined) outer.set(key, (v = make()));
  return v;
}

export class HistoryStore {
  readonly dialect: Dialect;
  readonly resolutions: readonly Resolution[];
  private db: Kysely<StoreDatabase> | null = null;
  /** SQLite's own handle, and the points of a refresh upserted through one statement prepared once (Kysely would build a statement per write). */
  private sqlite: SQLite.Database | null = null;
  private upsertSample: SQLite.Statement | null = null;
  private ready: Promise<void> | null = null;
  private failure: { reason: string; since: number; at: number } | null = null;
  /** Per cluster: what it last saw and wrote of each series (lost on a fault: then everything is written again). */
  private readonly memory = new Map<string, ClusterMemory>();
  /** Each series' number, per cluster and scope (the series table, as far as used). */
  private readonly seriesIds = new Map<string, Map<string, number>>();
  private pending: (JournalEntry & { cluster: string })[] = [];
  private writing: Promise<unknown> = Promise.resolve();
  private lastPrune = 0;
  private readonly now: () => number;

  constructor(private readonly options: StoreOptions) {
    this.dialect = /^postgres(ql)?:\/\//.test(options.location) ? 'postgres' : 'sqlite';
    this.resolutions = options.resolutions ?? DEFAULT_RESOLUTIONS;
    this.now = options.now ?? Date.now;
  }

  /** Where it is, without credentials. */
  where(): string {
    if (this.dialect === 'sqlite') return this.options.location;
    const u = new URL(this.options.location);
    u.password = '';
    u.username = '';
    return u.toString();
  }

  status(): StoreStatus {
    return this.failure ? { state: 'unavailable', where: this.where(), reason: this.failure.reason, since: this.failure.since } : { state: 'ok', where: this.where() };
  }

  /** Opens and migrates; on failure the store is unavailable (status says why) and the next use tries again. */
  open(): Promise<void> {
    this.ready ??= this.connect().catch((err: unknown) => {
      this.fail(err);
      this.ready = null;
      void this.db?.destroy().catch(() => undefined);
      this.sqlite = null;
      this.upsertSample = null;
      this.db = null;
      throw err;
    });
    return this.ready;
  }

  private async connect(): Promise<void> {
    if (this.dialect === 'sqlite') {
      mkdirSync(path.dirname(path.resolve(this.options.location)), { recursive: true });
      this.sqlite = new SQLite(this.options.location);
      this.db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database: this.sqlite }) });
      await tuneSqlite(this.db);
    } else {
      // bigint columns hold epoch milliseconds: numbers, not the strings pg gives by default.
      pg.types.setTypeParser(pg.types.builtins.INT8, Number);
      pg.types.setTypeParser(pg.types.builtins.FLOAT8, Number);
      const pool = new pg.Pool({ connectionString: this.options.location, max: 4, connectionTimeoutMillis: 5000, statement_timeout: 10_000 });
      pool.on('error', () => undefined);
      this.db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
    }
    const { error, results } = await new Migrator({ db: this.db, provider: migrationProvider(this.dialect) }).migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      // No migration ran and failed: the database could not be reached to find out which to run.
      if (!failed) throw error;
      throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.upsertSample =
      this.sqlite?.prepare(
        `INSERT INTO samples (series, step, t, ${SERIES_FIELDS.join(', ')}) VALUES (?, ?, ?, ${SERIES_FIELDS.map(() => '?').join(', ')})
         ON CONFLICT (series, step, t) DO UPDATE SET ${SERIES_FIELDS.map((f) => `${f} = excluded.${f}`).join(', ')}`,
      ) ?? null;
    this.failure = null;
  }

  private fail(err: unknown): void {
    this.failure = { reason: describe(err), since: this.failure?.since ?? this.now(), at: this.now() };
    // What was written is no longer known to be there: the next write writes every series again.
    this.memory.clear();
    this.seriesIds.clear();
  }

  /** The database, when it can be used now; null while unavailable and too soon to try again. */
  private async use(): Promise<Kysely<StoreDatabase> | null> {
    if (this.failure && this.now() - this.failure.at < RETRY_MS) return null;
    try {
      await this.open();
      return this.db;
    } catch {
      return null;
    }
  }

  /**
   * Writes one refresh: its journal entries and, per resolution whose bucket this refresh is the
   * first in, the points that changed since the last written, and that the dashboard watched that
   * bucket (a bucket holds the point at its start). Never throws.
   */
  write(cluster: string, at: number, series: Map<SeriesScope, Map<string, SeriesPoint>>, entries: readonly JournalEntry[]): Promise<{ ok: boolean; rows: number }> {
    // One write at a time, whichever cluster it is for: a transaction is begun on SQLite's one connection.
    const run = this.writing.then(() => this.writeNow(cluster, at, series, entries));
    // Old rows are removed after a write has answered, before the next begins: not a refresh's cost.
    this.writing = run
      .then(async ({ ok }) => {
        if (!ok || at - this.lastPrune < PRUNE_EVERY_MS) return;
        this.lastPrune = at;
        await this.prune(at).catch((err: unknown) => this.fail(err));
      })
      .catch(() => undefined);
    return run;
  }

  private async writeNow(cluster: string, at: number, series: Map<SeriesScope, Map<string, SeriesPoint>>, entries: readonly JournalEntry[]): Promise<{ ok: boolean; rows: number }> {
    for (const e of entries) this.pending.push({ ...e, cluster });
    if (this.pending.length > MAX_PENDING) this.pending.splice(0, this.pending.length - MAX_PENDING);
    const db = await this.use();
    if (!db) return { ok: false, rows: 0 };
    const journal = this.pending;
    const samples: (Omit<StoreDatabase['samples'], 'series'> & { scope: SeriesScope; key: string })[] = [];
    const coverage: StoreDatabase['coverage'][] = [];
    const updates: [Map<string, SeriesPoint>, string, SeriesPoint | null][] = [];
    const rolled: [ResolutionMemory, number][] = [];
    const row = (scope: SeriesScope, key: string, step: number, t: number, p: SeriesPoint): Omit<StoreDatabase['samples'], 'series'> & { scope: SeriesScope; key: string } => ({
      scope,
      key,
      step,
      t,
      ready: p.ready,
      unacked: p.unacked,
      consumers: p.consumers,
      publish: p.publish,
      deliver: p.deliver,
      ack: p.ack,
      redeliver: p.redeliver,
    });
    const memory = this.memoryOf(cluster);
    // One pass over this refresh's points: what changed since the last refresh, or is gone, is
    // marked for every resolution; each writes what was marked when its next bucket begins.
    for (const scope of SERIES_SCOPES) {
      const points = series.get(scope) ?? new Map<string, SeriesPoint>();
      const seen = inner(memory.seen, scope, () => new Map<string, SeriesPoint>());
      const marks = [...memory.steps.values()].map((r) => inner(r.changed, scope, () => new Set<string>()));
      const before = seen.size;
      let kept = 0;
      for (const [key, p] of points) {
        const last = seen.get(key);
        if (last) kept++;
        if (last && samePoint(last, p)) continue;
        seen.set(key, p);
        for (const m of marks) m.add(key);
      }
      // Some of what was seen before is not in this refresh: gone.
      if (kept < before)
        for (const key of seen.keys()) {
          if (points.has(key)) continue;
          seen.delete(key);
          for (const m of marks) m.add(key);
        }
    }
    for (const { stepMs } of this.resolutions) {
      const t = Math.floor(at / stepMs) * stepMs;
      const r = memory.steps.get(stepMs)!;
      if (r.bucket === t) continue;
      rolled.push([r, t]);
      coverage.push({ cluster, step: stepMs, t });
      for (const [scope, keys] of r.changed) {
        const seen = memory.seen.get(scope);
        const written = inner(r.written, scope, () => new Map<string, SeriesPoint>());
        for (const key of keys) {
          const p = seen?.get(key) ?? null;
          const last = written.get(key);
          // Changed and changed back, or gone and never written: nothing to say.
          if (p === null ? last === undefined : last !== undefined && samePoint(last, p)) continue;
          // Gone: a row of nulls, so that nothing is carried forward past it.
          samples.push(row(scope, key, stepMs, t, p ?? NOTHING));
          updates.push([written, key, p]);
        }
      }
    }
    try {
      const ids = await this.idsOf(db, cluster, samples);
      const rows: StoreDatabase['samples'][] = samples.map(({ scope, key, ...r }) => ({ series: ids(scope, key), ...r }));
      if (this.sqlite) {
        // Its one connection, begun and ended here: SQLite rolls back by itself on a full disk, and a
        // rollback asked for after that fails and would hide why (as Kysely's transaction does).
        await sql`begin`.execute(db);
        try {
          await this.writeRows(db, journal, coverage, rows);
          await sql`commit`.execute(db);
        } catch (err) {
          await sql`rollback`.execute(db).catch(() => undefined);
          throw err;
        }
      } else await db.transaction().execute((tx) => this.writeRows(tx, journal, coverage, rows));
    } catch (err) {
      this.fail(err);
      return { ok: false, rows: 0 };
    }
    this.pending = [];
    this.failure = null;
    for (const [r, t] of rolled) {
      r.bucket = t;
      r.changed.clear();
    }
    for (const [written, id, value] of updates) {
      if (value === null) written.delete(id);
      else written.set(id, value);
    }
    return { ok: true, rows: samples.length + journal.length + coverage.length };
  }

  /** One refresh's rows, in the transaction `tx`. */
  private async writeRows(tx: Kysely<StoreDatabase>, journal: readonly (JournalEntry & { cluster: string })[], coverage: StoreDatabase['coverage'][], rows: StoreDatabase['samples'][]): Promise<void> {
    for (let i = 0; i < journal.length; i += CHUNK)
      await tx
        .insertInto('journal')
        .values(journal.slice(i, i + CHUNK).map((e) => ({ ...e, subject: JSON.stringify(e.subject) })))
        .execute();
    if (coverage.length > 0)
      await tx
        .insertInto('coverage')
        .values(coverage)
        .onConflict((oc) => oc.columns(['cluster', 'step', 't']).doNothing())
        .execute();
    // SQLite: on its one connection, in the transaction begun there.
    const upsert = this.upsertSample;
    if (upsert) for (const r of rows) upsert.run(r.series, r.step, r.t, r.ready, r.unacked, r.consumers, r.publish, r.deliver, r.ack, r.redeliver);
    else
      for (let i = 0; i < rows.length; i += CHUNK)
        await tx
          .insertInto('samples')
          .values(rows.slice(i, i + CHUNK))
          .onConflict((oc) =>
            oc.columns(['series', 'step', 't']).doUpdateSet((eb) => Object.fromEntries(SERIES_FIELDS.map((f) => [f, eb.ref(`excluded.${f}`)])) as never),
          )
          .execute();
  }

  private memoryOf(cluster: string): ClusterMemory {
    let m = this.memory.get(cluster);
    if (!m) {
      m = { seen: new Map(), steps: new Map(this.resolutions.map((r) => [r.stepMs, { bucket: null, written: new Map(), changed: new Map() }])) };
      this.memory.set(cluster, m);
    }
    return m;
  }

  /** The numbers of these rows' series, those new to the store named first. */
  private async idsOf(db: Kysely<StoreDatabase>, cluster: string, rows: readonly { scope: SeriesScope; key: string }[]): Promise<(scope: SeriesScope, key: string) => number> {
    const known = (scope: string) => {
      const id = `${cluster}\u0000${scope}`;
      let map = this.seriesIds.get(id);
      if (!map) this.seriesIds.set(id, (map = new Map()));
      return map;
    };
    const missing = new Map<string, Set<string>>();
    for (const { scope, key } of rows) {
      if (known(scope).has(key)) continue;
      let keys = missing.get(scope);
      if (!keys) missing.set(scope, (keys = new Set()));
      keys.add(key);
    }
    for (const [scope, keys] of missing) {
      const list = [...keys];
      for (let i = 0; i < list.length; i += CHUNK) {
        const chunk = list.slice(i, i + CHUNK);
        await db
          .insertInto('series')
          .values(chunk.map((key) => ({ cluster, scope, key })))
          .onConflict((oc) => oc.columns(['cluster', 'scope', 'key']).doNothing())
          .execute();
        const found = await db.selectFrom('series').select(['id', 'key']).where('cluster', '=', cluster).where('scope', '=', scope).where('key', 'in', chunk).execute();
        for (const { id, key } of found) known(scope).set(key, id);
      }
    }
    return (scope, key) => known(scope).get(key)!;
  }

  /** Removes what is older than each resolution keeps, except each series' last point before that (it is carried forward). */
  async prune(now: number): Promise<void> {
    const db = await this.use();
    if (!db) return;
    for (const { stepMs, keepMs } of this.resolutions) {
      const cutoff = now - keepMs;
      await db.deleteFrom('coverage').where('step', '=', stepMs).where('t', '<', cutoff).execute();
      await sql`DELETE FROM samples WHERE step = ${stepMs} AND t < ${cutoff} AND EXISTS (
        SELECT 1 FROM samples AS n WHERE n.series = samples.series AND n.step = samples.step AND n.t > samples.t AND n.t <= ${cutoff})`.execute(db);
    }
    const longest = Math.max(...this.resolutions.map((r) => r.keepMs));
    await db.deleteFrom('journal').where('at', '<', now - longest).execute();
  }

  /** The resolution a chart of this range reads: the finest that still holds its start and gives at most ~1500 points. */
  resolutionFor(from: number, to: number): Resolution {
    const now = this.now();
    const fits = this.resolutions.filter((r) => now - r.keepMs <= from + r.stepMs && (to - from) / r.stepMs <= 1500);
    return fits[0] ?? this.resolutions.at(-1)!;
  }

  /** One series over a range; null when the store is unavailable. */
  async series(cluster: string, scope: SeriesScope, key: string, from: number, to: number): Promise<SeriesAnswer | null> {
    const db = await this.use();
    if (!db) return null;
    const { stepMs } = this.resolutionFor(from, to);
    const start = Math.floor(from / stepMs) * stepMs;
    try {
      const named = await db.selectFrom('series').select('id').where('cluster', '=', cluster).where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
      const id = named?.id ?? -1;
      const [covered, rows, before] = await Promise.all([
        db.selectFrom('coverage').select('t').where('cluster', '=', cluster).where('step', '=', stepMs).where('t', '>=', start).where('t', '<=', to).orderBy('t').execute(),
        db.selectFrom('samples').selectAll().where('series', '=', id).where('step', '=', stepMs).where('t', '>=', start).where('t', '<=', to).orderBy('t').execute(),
        db.selectFrom('samples').selectAll().where('series', '=', id).where('step', '=', stepMs).where('t', '<', start).orderBy('t', 'desc').limit(1).executeTakeFirst(),
      ]);
      const points: SeriesAnswer['points'] = [];
      let carried: SeriesPoint = before ?? NOTHING;
      let next = 0;
      let lastT: number | null = null;
      for (const { t } of covered) {
        while (next < rows.length && rows[next]!.t <= t) carried = rows[next++]!;
        if (lastT !== null && t - lastT > stepMs) points.push({ t: lastT + stepMs, ...NOTHING });
        points.push({ t, ...Object.fromEntries(SERIES_FIELDS.map((f) => [f, carried[f]])) } as SeriesAnswer['points'][number]);
        lastT = t;
      }
      return { stepMs, points };
    } catch (err) {
      this.fail(err);
      return null;
    }
  }

  /** The journal over a range, newest first; null when the store is unavailable. */
  async journal(cluster: string, q: JournalQuery): Promise<JournalEntry[] | null> {
    const db = await this.use();
    if (!db) return null;
    try {
      let query = db.selectFrom('journal').selectAll().where('cluster', '=', cluster).where('at', '>=', q.from).where('at', '<=', q.to);
      if (q.host !== undefined) query = query.where('host', '=', q.host);
      if (q.binary !== undefined) query = query.where('binary', '=', q.binary);
      if (q.binaryPrefix !== undefined) query = query.where(sql<string>`substr(${sql.ref('binary')}, 1, ${q.binaryPrefix.length})`, '=', q.binaryPrefix);
      if (q.process !== undefined) query = query.where('process', '=', q.process);
      if (q.vhost !== undefined) query = query.where('vhost', '=', q.vhost);
      if (q.queue !== undefined) query = query.where('queue', '=', q.queue);
      if (q.kinds?.length) query = query.where('kind', 'in', [...q.kinds]);
      const rows = await query
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(q.limit ?? 5000)
        .execute();
      return rows.map((r) => ({
        at: r.at,
        kind: r.kind as JournalKind,
        subject: JSON.parse(r.subject) as JournalSubject,
        host: r.host,
        binary: r.binary,
        process: r.process,
        vhost: r.vhost,
        queue: r.queue,
        before: r.before,
        after: r.after,
      }));
    } catch (err) {
      this.fail(err);
      return null;
    }
  }

  /** Closes, once what is being written (and pruned) is done. */
  async close(): Promise<void> {
    await this.writing;
    await this.db?.destroy();
    this.db = null;
    this.sqlite = null;
    this.upsertSample = null;
    this.ready = null;
  }
}
