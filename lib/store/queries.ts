// What pages read back: one series over a range at one resolution, and the journal.
import { type Kysely, sql } from 'kysely';
import type { JournalEntry, JournalSubject } from '@/lib/domain/journal';
import { SERIES_FIELDS, type SeriesPoint } from '@/lib/domain/series';
import type { JournalKind, SeriesScope } from '@/lib/domain/vocabulary';
import { bucketOf } from './resolutions';
import type { StoreDatabase } from './schema';
import { NOTHING } from './sparse';

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

/** One series at the resolution of `stepMs`: each covered bucket carries the last row at or before it forward. */
export async function readSeries(db: Kysely<StoreDatabase>, cluster: string, scope: SeriesScope, key: string, stepMs: number, from: number, to: number): Promise<SeriesAnswer> {
  const start = bucketOf(from, stepMs);
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
}

/** The journal over a range, newest first. */
export async function readJournal(db: Kysely<StoreDatabase>, cluster: string, q: JournalQuery): Promise<JournalEntry[]> {
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
}
