import { queueDetailResponse } from '@/lib/api/answers';
import { clusterRoute } from '@/lib/server/api';
import { notFound } from '@/lib/server/errors';
import { withEarlier } from '@/lib/server/history';
import { noQuery } from '@/lib/server/params';

export const GET = clusterRoute({ query: noQuery, segments: ['vhost', 'name'] }, async ({ cluster, state, status, params: { vhost, name } }) => {
  const what = `queue "${name}" in vhost "${vhost}"`;
  if (!state.topology.index.queue(vhost, name)) notFound(what);
  const broker = await cluster.queueHistory(vhost, name);
  const said = broker.warning ? { ...status, warnings: [...(status.warnings ?? []), broker.warning] } : status;
  return queueDetailResponse(state, said, vhost, name, (own) => withEarlier(broker.samples, own)) ?? notFound(what);
});
