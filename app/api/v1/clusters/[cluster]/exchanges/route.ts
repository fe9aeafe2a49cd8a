import { exchangesResponse } from '@/lib/api/answers';
import { clusterRoute } from '@/lib/server/api';
import { exchangeListQuery } from '@/lib/server/params';

export const GET = clusterRoute({ query: exchangeListQuery }, ({ state, status, query }) => exchangesResponse(state, status, query));
