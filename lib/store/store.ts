// The store that survives restarts: history at several resolutions and the journal, in SQLite by
// default or in PostgreSQL when a URL is configured. Every refresh writes it, viewers or not. It
// never takes the dashboard down: a fault (unwritable or corrupt file, full disk, PostgreSQL down,
// a migration that fails) makes it unavailable with a reason; it tries again by itself, and what
// was stored stays. Writing is sparse: a series gets a row only when its point changes.
//
// This is the facade: faults and retries, one write at a time, pruning's cadence. The parts:
// connection.ts (open, tune, migrate), sparse.ts (which rows a refresh writes at each resolution),
// writer.ts (those rows in one transaction), prune.ts, queries.ts (series and journal read back).
import type { Kysely } from 'kysely';
import type { JournalEntry } from '@/lib/domain/journal';
import type { SeriesPoint } from '@/lib/domain/series';
import type { SeriesScope } from '@/lib/domain/vocabulary';
import { dialectOf, openDatabase, withoutCredentials } from './connection';
import { reasonOf } from './faults';
import type { Dialect } from './migrations';
import { pruneRows } from './prune';
import { type JournalQuery, readJournal, readSeries, type SeriesAnswer } from './queries';
import { DEFAULT_RESOLUTIONS, type Resolution, resolutionFor } from './resolutions';
import type { StoreDatabase } from './schema';
import { SparseHistory } from './sparse';
import { RowWriter, type StoredEntry } from './writer';

export { DEFAULT_RESOLUTIONS };
export type { JournalQuery, Resolution, SeriesAnswer };

const MINUTE = 60_000;
/** After a fault, the next try comes no sooner than this. */
const RETRY_MS = 10_000;
/** Old rows are removed this often. */
const PRUNE_EVERY_MS = 10 * MINUTE;
/** Journal entries kept for the next try while the store is unavailable. */
const MAX_PENDING = 50_000;

export type StoreStatus = { state: 'ok'; where: string } | { state: 'unavailable'; where: string; reason: string; since: number };

export interface StoreOptions {
  /** A file path (SQLite) or a postgres:// URL. */
  location: string;
  resolutions?: readonly Resolution[];
  now?: () => number;
}

interface Open {
  db: Kysely<StoreDatabase>;
  writer: RowWriter;
}

export class HistoryStore {
  readonly dialect: Dialect;
  readonly resolutions: readonly Resolution[];
  private opened: Open | null = null;
  private ready: Promise<void> | null = null;
  private failure: { reason: string; since: number; at: number } | null = null;
  /** What each cluster last saw and wrote of each series (lost on a fault: then everything is written again). */
  private readonly sparse: SparseHistory;
  private pending: StoredEntry[] = [];
  private writing: Promise<unknown> = Promise.resolve();
  private lastPrune = 0;
  private readonly now: () => number;

  constructor(private readonly options: StoreOptions) {
    this.dialect = dialectOf(options.location);
    this.resolutions = options.resolutions ?? DEFAULT_RESOLUTIONS;
    this.sparse = new SparseHistory(this.resolutions);
    this.now = options.now ?? Date.now;
  }

  /** Where it is, without credentials. */
  where(): string {
    return withoutCredentials(this.options.location);
  }

  status(): StoreStatus {
    return this.failure ? { state: 'unavailable', where: this.where(), reason: this.failure.reason, since: this.failure.since } : { state: 'ok', where: this.where() };
  }

  /** Opens and migrates; on failure the store is unavailable (status says why) and the next use tries again. */
  open(): Promise<void> {
    this.ready ??= this.connect().catch((err: unknown) => {
      this.fail(err);
      this.ready = null;
      throw err;
    });
    return this.ready;
  }

  private async connect(): Promise<void> {
    const connection = await openDatabase(this.options.location);
    try {
      this.opened = { db: connection.db, writer: new RowWriter(connection) };
    } catch (err) {
      void connection.db.destroy().catch(() => undefined);
      throw err;
    }
    this.failure = null;
  }

  private fail(err: unknown): void {
    this.failure = { reason: reasonOf(err), since: this.failure?.since ?? this.now(), at: this.now() };
    // What was written is no longer known to be there: the next write writes every series again.
    this.sparse.forget();
    this.opened?.writer.forget();
  }

  /** The open database, when it can be used now; null while unavailable and too soon to try again. */
  private async use(): Promise<Open | null> {
    if (this.failure && this.now() - this.failure.at < RETRY_MS) return null;
    try {
      await this.open();
      return this.opened;
    } catch {
      return null;
    }
  }

  /** A read; null when the store is unavailable or the read fails (then it is unavailable). */
  private async read<T>(query: (db: Kysely<StoreDatabase>) => Promise<T>): Promise<T | null> {
    const open = await this.use();
    if (!open) return null;
    try {
      return await query(open.db);
    } catch (err) {
      this.fail(err);
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
    const open = await this.use();
    if (!open) return { ok: false, rows: 0 };
    const journal = this.pending;
    const { samples, coverage, written } = this.sparse.rowsOf(cluster, at, series);
    try {
      await open.writer.write(cluster, journal, coverage, samples);
    } catch (err) {
      this.fail(err);
      return { ok: false, rows: 0 };
    }
    this.pending = [];
    this.failure = null;
    written();
    return { ok: true, rows: samples.length + journal.length + coverage.length };
  }

  /** Removes what is older than each resolution keeps, except each series' last point before that (it is carried forward). */
  async prune(now: number): Promise<void> {
    const open = await this.use();
    if (open) await pruneRows(open.db, this.resolutions, now);
  }

  /** The resolution a chart of this range reads: the finest that still holds its start and gives at most ~1500 points. */
  resolutionFor(from: number, to: number): Resolution {
    return resolutionFor(this.resolutions, this.now(), from, to);
  }

  /** One series over a range; null when the store is unavailable. */
  series(cluster: string, scope: SeriesScope, key: string, from: number, to: number): Promise<SeriesAnswer | null> {
    return this.read((db) => readSeries(db, cluster, scope, key, this.resolutionFor(from, to).stepMs, from, to));
  }

  /** The journal over a range, newest first; null when the store is unavailable. */
  journal(cluster: string, q: JournalQuery): Promise<JournalEntry[] | null> {
    return this.read((db) => readJournal(db, cluster, q));
  }

  /** Closes, once what is being written (and pruned) is done. */
  async close(): Promise<void> {
    await this.writing;
    await this.opened?.db.destroy();
    this.opened = null;
    this.ready = null;
  }
}
