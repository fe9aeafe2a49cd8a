// GET: where a message published to this exchange with ?key= goes, computed from the bindings (nothing is published).
import { exchangeNameFromSegment } from '@/lib/api/paths';
import { routeResponse } from '@/lib/api/answers';
import { clusterRoute } from '@/lib/server/api';
import { notFound } from '@/lib/server/errors';
import { routeQuery } from '@/lib/server/params';

export const GET = clusterRoute(
  { query: routeQuery, segments: ['vhost', 'name'] },
  ({ state, status, query, params: { vhost, name } }) =>
    routeResponse(state, status, vhost, exchangeNameFromSegment(name), query.key) ?? notFound(`exchange "${name}" in vhost "${vhost}"`),
);
