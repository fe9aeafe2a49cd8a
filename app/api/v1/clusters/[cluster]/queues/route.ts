import { queuesResponse } from '@/lib/api/answers';
import { clusterRoute } from '@/lib/server/api';
import { queueListQuery } from '@/lib/server/params';

export const GET = clusterRoute({ query: queueListQuery }, ({ state, status, query }) => queuesResponse(state, status, query));
