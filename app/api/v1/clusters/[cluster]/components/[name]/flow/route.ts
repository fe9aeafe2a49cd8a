// GET: the flow picture of one topic of a component, laid out (lib/domain/flow.ts).
import { flowResponse } from '@/lib/api/answers';
import { clusterRoute } from '@/lib/server/api';
import { notFound } from '@/lib/server/errors';
import { flowQuery } from '@/lib/server/params';

export const GET = clusterRoute(
  { query: flowQuery, segments: ['name'] },
  ({ state, status, query, params: { name } }) =>
    flowResponse(state, status, name, query) ?? notFound(`topic "${query.topic}" of component "${name}"${query.vhost ? ` in vhost "${query.vhost}"` : ''}`),
);
