import { findingsResponse } from '@/lib/api/answers';
import { clusterRoute } from '@/lib/server/api';
import { findingsQuery } from '@/lib/server/params';

export const GET = clusterRoute({ query: findingsQuery }, ({ state, status, query }) => findingsResponse(state, status, query));
