import { storeRoute } from '@/lib/server/api';
import { historyQuery, timeRange } from '@/lib/server/params';
import { historyAnswer } from '@/lib/server/remembered';

export const GET = storeRoute({ query: historyQuery }, ({ cluster, store, offReason, query, maySee }) =>
  historyAnswer(store, cluster.id, { scope: query.scope, key: query.key, ...timeRange(query, cluster.capturedAt() ?? Date.now()) }, { maySee, offReason }),
);
