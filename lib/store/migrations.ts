// Versioned migrations, in order; the Migrator records which ran (kysely_migration). Each works on
// SQLite and PostgreSQL alike: integers for times are 'bigint' (8 bytes in PostgreSQL, an INTEGER in SQLite).
import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';

export type Dialect = 'sqlite' | 'postgres';

function migrations(dialect: Dialect): Record<string, Migration> {
  const id = dialect === 'postgres' ? 'bigserial' : 'integer';
  return {
    '0001_history_and_journal': {
      // The migrator runs on any database; the tables are this store's.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('series')
          .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('cluster', 'text', (c) => c.notNull())
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addUniqueConstraint('series_name', ['cluster', 'scope', 'key'])
          .execute();
        await db.schema
          .createTable('samples')
          .addColumn('series', 'bigint', (c) => c.notNull())
          .addColumn('step', 'integer', (c) => c.notNull())
          .addColumn('t', 'bigint', (c) => c.notNull())
          .addColumn('ready', 'double precision')
          .addColumn('unacked', 'double precision')
          .addColumn('consumers', 'double precision')
          .addColumn('publish', 'double precision')
          .addColumn('deliver', 'double precision')
          .addColumn('ack', 'double precision')
          .addColumn('redeliver', 'double precision')
          .addPrimaryKeyConstraint('samples_pk', ['series', 'step', 't'])
          // SQLite: the rows live in the primary key's tree, not in a second one beside it.
          .$call((b) => (dialect === 'sqlite' ? b.modifyEnd(sql`without rowid`) : b))
          .execute();
        // Pruning finds the old rows of one resolution by time.
        await db.schema.createIndex('samples_age').on('samples').columns(['step', 't']).execute();
        await db.schema
          .createTable('coverage')
          .addColumn('cluster', 'text', (c) => c.notNull())
          .addColumn('step', 'integer', (c) => c.notNull())
          .addColumn('t', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('coverage_pk', ['cluster', 'step', 't'])
          .execute();
        await db.schema
          .createTable('journal')
          .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('cluster', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('host', 'text')
          .addColumn('binary', 'text')
          .addColumn('process', 'text')
          .addColumn('vhost', 'text')
          .addColumn('queue', 'text')
          .addColumn('before', 'text')
          .addColumn('after', 'text')
          .execute();
        for (const [name, columns] of [
          ['journal_at', ['cluster', 'at']],
          ['journal_host', ['cluster', 'host', 'at']],
          ['journal_queue', ['cluster', 'vhost', 'queue', 'at']],
          ['journal_process', ['cluster', 'process', 'at']],
          ['journal_kind', ['cluster', 'kind', 'at']],
        ] as const)
          await db.schema
            .createIndex(name)
            .on('journal')
            .columns([...columns])
            .execute();
      },
      async down(db: Kysely<unknown>) {
        for (const table of ['journal', 'coverage', 'samples', 'series']) await db.schema.dropTable(table).execute();
      },
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}

/** Runs the migrations not yet run; throws naming the one that failed. */
export async function migrateToLatest<T>(db: Kysely<T>, dialect: Dialect): Promise<void> {
  const { error, results } = await new Migrator({ db, provider: migrationProvider(dialect) }).migrateToLatest();
  if (!error) return;
  const failed = results?.find((r) => r.status === 'Error')?.migrationName;
  // No migration ran and failed: the database could not be reached to find out which to run.
  if (!failed) throw error;
  throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
}

/** SQLite settings for one writer and many readers, set on every connection. */
export async function tuneSqlite<T>(db: Kysely<T>): Promise<void> {
  await sql`PRAGMA journal_mode = WAL`.execute(db);
  await sql`PRAGMA synchronous = NORMAL`.execute(db);
}
