import 'server-only';
// The one store of this server process (HISTORY_STORE), opened at first use.
import { HistoryStore } from '@/lib/store/store';
import { getConfig } from './config';

const registry = globalThis as unknown as { __lensStore?: HistoryStore | null };

/** Null when history is off (HISTORY_STORE=off). */
export function historyStore(): HistoryStore | null {
  if (registry.__lensStore === undefined) {
    const config = getConfig().store;
    registry.__lensStore = config ? new HistoryStore({ location: config.location }) : null;
  }
  return registry.__lensStore;
}
