import type { ProcessDetailResponse } from '@/lib/api/contract';
import { processDetail } from '@/lib/domain/views';
import { notFound, withSnapshot } from '@/lib/server/http';

export async function GET(req: Request, ctx: { params: Promise<{ cluster: string; id: string }> }) {
  const { cluster, id } = await ctx.params;
  return withSnapshot(req, cluster, ({ topology, status }): ProcessDetailResponse => {
    const detail = processDetail(topology, id);
    return detail ? { status, ...detail } : notFound(`process "${id}"`);
  });
}
