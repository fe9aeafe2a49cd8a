// A refresh's rows into the database, in one transaction: its journal entries, the buckets it
// covered and its samples, their series named by number (the series table, as far as used).
import type SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { JournalEntry } from '@/lib/domain/journal';
import { SERIES_FIELDS } from '@/lib/domain/series';
import type { SeriesScope } from '@/lib/domain/vocabulary';
import type { Connection } from './connection';
import type { CoverageTable, SamplesTable, StoreDatabase } from './schema';
import type { SampleRow } from './sparse';

/** Rows per INSERT (SQLite allows 32766 parameters to a statement). */
const CHUNK = 2000;

export type StoredEntry = JournalEntry & { cluster: string };

export class RowWriter {
  private readonly db: Kysely<StoreDatabase>;
  /** SQLite's one connection, and samples upserted through one statement prepared once (Kysely would build a statement per row). */
  private readonly sqlite: SQLite.Database | null;
  private readonly upsertSample: SQLite.Statement | null;
  /** Each series' number, per cluster and scope. */
  private readonly seriesIds = new Map<string, Map<string, number>>();

  constructor({ db, sqlite }: Connection) {
    this.db = db;
    this.sqlite = sqlite;
    this.upsertSample =
      sqlite?.prepare(
        `INSERT INTO samples (series, step, t, ${SERIES_FIELDS.join(', ')}) VALUES (?, ?, ?, ${SERIES_FIELDS.map(() => '?').join(', ')})
         ON CONFLICT (series, step, t) DO UPDATE SET ${SERIES_FIELDS.map((f) => `${f} = excluded.${f}`).join(', ')}`,
      ) ?? null;
  }

  async write(cluster: string, journal: readonly StoredEntry[], coverage: readonly CoverageTable[], samples: readonly SampleRow[]): Promise<void> {
    const ids = await this.idsOf(cluster, samples);
    const rows: SamplesTable[] = samples.map(({ scope, key, ...r }) => ({ series: ids(scope, key), ...r }));
    const db = this.db;
    if (!this.sqlite) return db.transaction().execute((tx) => this.writeRows(tx, journal, coverage, rows));
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
  }

  /** After a fault: the numbers are looked up again. */
  forget(): void {
    this.seriesIds.clear();
  }

  private async writeRows(tx: Kysely<StoreDatabase>, journal: readonly StoredEntry[], coverage: readonly CoverageTable[], rows: readonly SamplesTable[]): Promise<void> {
    for (let i = 0; i < journal.length; i += CHUNK)
      await tx
        .insertInto('journal')
        .values(journal.slice(i, i + CHUNK).map((e) => ({ ...e, subject: JSON.stringify(e.subject) })))
        .execute();
    if (coverage.length > 0)
      await tx
        .insertInto('coverage')
        .values([...coverage])
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

  /** The numbers of these rows' series, those new to the store named first. */
  private async idsOf(cluster: string, rows: readonly { scope: SeriesScope; key: string }[]): Promise<(scope: SeriesScope, key: string) => number> {
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
        await this.db
          .insertInto('series')
          .values(chunk.map((key) => ({ cluster, scope, key })))
          .onConflict((oc) => oc.columns(['cluster', 'scope', 'key']).doNothing())
          .execute();
        const found = await this.db.selectFrom('series').select(['id', 'key']).where('cluster', '=', cluster).where('scope', '=', scope).where('key', 'in', chunk).execute();
        for (const { id, key } of found) known(scope).set(key, id);
      }
    }
    return (scope, key) => known(scope).get(key)!;
  }
}
