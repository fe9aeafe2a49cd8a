import type { ExchangesResponse } from '@/lib/api/contract';
import { filterExchanges } from '@/lib/domain/views';
import { parse, searchParams, withSnapshot } from '@/lib/server/http';
import { exchangeListQuery } from '@/lib/server/params';

export async function GET(req: Request, ctx: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await ctx.params;
  return withSnapshot(req, cluster, ({ topology, status }): ExchangesResponse => {
    const filter = parse(exchangeListQuery, searchParams(req.url), 'query');
    return { status, items: filterExchanges(topology, filter) };
  });
}
