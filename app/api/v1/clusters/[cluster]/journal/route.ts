import { storeRoute } from '@/lib/server/api';
import { journalQuery, timeRange } from '@/lib/server/params';
import { journalAnswer } from '@/lib/server/store-answers';

export const GET = storeRoute({ query: journalQuery }, ({ cluster, memory, query }) => {
  const { range: _range, from: _from, to: _to, kind, ...filters } = query;
  return journalAnswer(memory.store, cluster.id, { ...filters, kinds: kind, ...timeRange(query, cluster.now()) }, memory.offReason);
});
