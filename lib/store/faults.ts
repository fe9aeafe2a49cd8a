// Why the store is unavailable, in words an operator can act on.
export function reasonOf(err: unknown): string {
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
