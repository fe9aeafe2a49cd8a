import { upgradeResponse } from '@/lib/api/answers';
import { clusterRoute } from '@/lib/server/api';
import { noQuery } from '@/lib/server/params';

export const GET = clusterRoute({ query: noQuery }, ({ state, status }) => upgradeResponse(state, status));
