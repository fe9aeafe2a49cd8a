// How processes are named on screen. Pure.
import type { Process } from '@/lib/api/schemas';

/** "nova-compute:4242 @ node-17", or the connection name for non-oslo clients. */
export function processLabel(p: Pick<Process, 'id' | 'binary' | 'pid' | 'host' | 'peerHost' | 'oslo'>): string {
  if (!p.oslo || p.binary === null) return p.id;
  const where = p.host ?? p.peerHost;
  return `${p.binary}${p.pid !== null ? `:${p.pid}` : ''}${where ? ` @ ${where}` : ''}`;
}

export const HOST_SOURCE_TEXT: Record<NonNullable<Process['hostSource']>, string> = {
  'server-queue': 'from the per-server queue it consumes (<topic>.<host>)',
  'queue-name': 'from a queue-manager queue name (reply_<host>:<binary>:<n>)',
  address: 'from another process at the same peer address',
};

export function hostSourceText(source: Process['hostSource']): string {
  return source ? HOST_SOURCE_TEXT[source] : 'unknown: oslo connection names carry no host; only the peer address is known';
}
