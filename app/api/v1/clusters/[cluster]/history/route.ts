import { storeRoute } from '@/lib/server/api';
import { historyQuery, timeRange } from '@/lib/server/params';
import { historyAnswer } from '@/lib/server/store-answers';

export const GET = storeRoute({ query: historyQuery }, ({ cluster, memory, query }) =>
  historyAnswer(memory.store, cluster.id, { scope: query.scope, key: query.key, ...timeRange(query, cluster.now()) }, memory.offReason),
);
