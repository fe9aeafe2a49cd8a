import { servicesResponse } from '@/lib/api/answers';
import { clusterRoute } from '@/lib/server/api';
import { serviceListQuery } from '@/lib/server/params';

export const GET = clusterRoute({ query: serviceListQuery }, ({ cluster, state, status, query }) => servicesResponse(state, status, query, cluster.actions.status.probe));
