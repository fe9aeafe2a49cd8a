import { exchangeNameFromSegment } from '@/lib/api/paths';
import { exchangeDetailResponse } from '@/lib/api/answers';
import { clusterRoute } from '@/lib/server/api';
import { notFound } from '@/lib/server/errors';
import { noQuery } from '@/lib/server/params';

export const GET = clusterRoute(
  { query: noQuery, segments: ['vhost', 'name'] },
  ({ state, status, params: { vhost, name } }) =>
    exchangeDetailResponse(state, status, vhost, exchangeNameFromSegment(name)) ?? notFound(`exchange "${name}" in vhost "${vhost}"`),
);
