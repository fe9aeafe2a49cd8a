// GET: where a message published to this exchange with ?key= goes, computed from the bindings (nothing is published).
import type { RouteResponse } from '@/lib/api/contract';
import { exchangeNameFromSegment } from '@/lib/client/links';
import { routeView } from '@/lib/domain/views';
import { notFound, parse, searchParams, withSnapshot } from '@/lib/server/http';
import { routeQuery } from '@/lib/server/params';

export async function GET(req: Request, ctx: { params: Promise<{ cluster: string; vhost: string; name: string }> }) {
  const { cluster, vhost, name } = await ctx.params;
  return withSnapshot(req, cluster, ({ topology, status }): RouteResponse => {
    const { key } = parse(routeQuery, searchParams(req.url), 'query');
    const view = routeView(topology, vhost, exchangeNameFromSegment(name), key);
    return view ? { status, ...view } : notFound(`exchange "${name}" in vhost "${vhost}"`);
  });
}
