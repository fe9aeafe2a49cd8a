import { componentResponse } from '@/lib/api/answers';
import { clusterRoute } from '@/lib/server/api';
import { notFound } from '@/lib/server/errors';
import { noQuery } from '@/lib/server/params';

export const GET = clusterRoute(
  { query: noQuery, segments: ['name'] },
  ({ state, status, params: { name } }) => componentResponse(state, status, name) ?? notFound(`component "${name}"`),
);
