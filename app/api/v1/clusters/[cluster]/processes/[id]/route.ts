import { processDetailResponse } from '@/lib/api/answers';
import { clusterRoute } from '@/lib/server/api';
import { notFound } from '@/lib/server/errors';
import { noQuery } from '@/lib/server/params';

export const GET = clusterRoute(
  { query: noQuery, segments: ['id'] },
  ({ state, status, params: { id } }) => processDetailResponse(state, status, id) ?? notFound(`process "${id}"`),
);
