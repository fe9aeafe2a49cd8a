import type { ComponentDetailResponse } from '@/lib/api/contract';
import { componentDetail } from '@/lib/domain/views';
import { notFound, withSnapshot } from '@/lib/server/http';

export async function GET(req: Request, ctx: { params: Promise<{ cluster: string; name: string }> }) {
  const { cluster, name } = await ctx.params;
  return withSnapshot(req, cluster, ({ topology, status }): ComponentDetailResponse => {
    const detail = componentDetail(topology, name);
    return detail ? { status, ...detail } : notFound(`component "${name}"`);
  });
}
