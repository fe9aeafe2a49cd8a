import { storeRoute } from '@/lib/server/api';
import { journalQuery, timeRange } from '@/lib/server/params';
import { journalAnswer } from '@/lib/server/remembered';

export const GET = storeRoute({ query: journalQuery }, ({ cluster, store, offReason, query, maySee }) => {
  const { range: _range, from: _from, to: _to, kind, ...filters } = query;
  return journalAnswer(store, cluster.id, { ...filters, kinds: kind, ...timeRange(query, cluster.capturedAt() ?? Date.now()) }, { maySee, offReason });
});
