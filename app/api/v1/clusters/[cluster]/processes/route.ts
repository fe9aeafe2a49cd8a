import { processesResponse } from '@/lib/api/answers';
import { clusterRoute } from '@/lib/server/api';
import { processListQuery } from '@/lib/server/params';

export const GET = clusterRoute({ query: processListQuery }, ({ state, status, query }) => processesResponse(state, status, query));
