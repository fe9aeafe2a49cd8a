import type { QueuesResponse } from '@/lib/api/contract';
import { filterQueues, queueFacets } from '@/lib/domain/views';
import { parse, searchParams, withSnapshot } from '@/lib/server/http';
import { queueListQuery } from '@/lib/server/params';

export async function GET(req: Request, ctx: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await ctx.params;
  return withSnapshot(req, cluster, ({ topology, status }): QueuesResponse => {
    const filter = parse(queueListQuery, searchParams(req.url), 'query');
    const { items, filtered, total } = filterQueues(topology, filter);
    return { status, items, filtered, total, page: filter.page, pageSize: filter.pageSize, facets: queueFacets(topology) };
  });
}
