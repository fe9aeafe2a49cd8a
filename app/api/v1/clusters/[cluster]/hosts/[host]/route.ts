import { hostDetailResponse } from '@/lib/api/answers';
import { clusterRoute } from '@/lib/server/api';
import { noQuery } from '@/lib/server/params';

export const GET = clusterRoute({ query: noQuery, segments: ['host'] }, ({ state, status, params: { host } }) => hostDetailResponse(state, status, host));
