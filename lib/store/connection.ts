// Opening the store's database: SQLite (a file) or PostgreSQL (a URL), tuned and migrated.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { type Dialect, migrateToLatest, tuneSqlite } from './migrations';
import type { StoreDatabase } from './schema';

export interface Connection {
  dialect: Dialect;
  db: Kysely<StoreDatabase>;
  /** SQLite's own handle; null on PostgreSQL. */
  sqlite: SQLite.Database | null;
}

export const dialectOf = (location: string): Dialect => (/^postgres(ql)?:\/\//.test(location) ? 'postgres' : 'sqlite');

/** The location, without credentials. */
export function withoutCredentials(location: string): string {
  if (dialectOf(location) === 'sqlite') return location;
  const u = new URL(location);
  u.password = '';
  u.username = '';
  return u.toString();
}

/**
 * bigint columns hold epoch milliseconds and series numbers: numbers, not the strings pg gives by
 * default. Set on this store's pool alone; pg's own (process-wide) parsers are left as they are.
 */
export const STORE_PG_TYPES = new pg.TypeOverrides();
STORE_PG_TYPES.setTypeParser(pg.types.builtins.INT8, Number);

/** Opens, tunes and migrates; on failure nothing is left open. */
export async function openDatabase(location: string): Promise<Connection> {
  const dialect = dialectOf(location);
  let sqlite: SQLite.Database | null = null;
  let db: Kysely<StoreDatabase>;
  if (dialect === 'sqlite') {
    mkdirSync(path.dirname(path.resolve(location)), { recursive: true });
    sqlite = new SQLite(location);
    db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  } else {
    const pool = new pg.Pool({ connectionString: location, max: 4, connectionTimeoutMillis: 5000, statement_timeout: 10_000, types: STORE_PG_TYPES });
    // An idle connection that breaks would otherwise throw in the process; the next query finds out.
    pool.on('error', () => undefined);
    db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
  }
  try {
    if (sqlite) await tuneSqlite(db);
    await migrateToLatest(db, dialect);
  } catch (err) {
    void db.destroy().catch(() => undefined);
    throw err;
  }
  return { dialect, db, sqlite };
}
