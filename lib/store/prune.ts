// Removing what is older than each resolution keeps.
import { type Kysely, sql } from 'kysely';
import type { Resolution } from './resolutions';
import type { StoreDatabase } from './schema';

/** Removes what is older than each resolution keeps, except each series' last point before that (it is carried forward). */
export async function pruneRows(db: Kysely<StoreDatabase>, resolutions: readonly Resolution[], now: number): Promise<void> {
  for (const { stepMs, keepMs } of resolutions) {
    const cutoff = now - keepMs;
    await db.deleteFrom('coverage').where('step', '=', stepMs).where('t', '<', cutoff).execute();
    await sql`DELETE FROM samples WHERE step = ${stepMs} AND t < ${cutoff} AND EXISTS (
      SELECT 1 FROM samples AS n WHERE n.series = samples.series AND n.step = samples.step AND n.t > samples.t AND n.t <= ${cutoff})`.execute(db);
  }
  const longest = Math.max(...resolutions.map((r) => r.keepMs));
  await db.deleteFrom('journal').where('at', '<', now - longest).execute();
}
