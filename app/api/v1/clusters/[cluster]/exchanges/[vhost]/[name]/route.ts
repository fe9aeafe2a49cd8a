import type { ExchangeDetailResponse } from '@/lib/api/contract';
import { exchangeDetail } from '@/lib/domain/views';
import { notFound, withSnapshot } from '@/lib/server/http';
import { exchangeNameFromSegment } from '@/lib/client/links';

export async function GET(req: Request, ctx: { params: Promise<{ cluster: string; vhost: string; name: string }> }) {
  const { cluster, vhost, name } = await ctx.params;
  return withSnapshot(req, cluster, ({ topology, status }): ExchangeDetailResponse => {
    const detail = exchangeDetail(topology, vhost, exchangeNameFromSegment(name));
    return detail ? { status, ...detail } : notFound(`exchange "${name}" in vhost "${vhost}"`);
  });
}
