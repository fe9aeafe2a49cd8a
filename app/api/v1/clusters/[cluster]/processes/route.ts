import type { ProcessesResponse } from '@/lib/api/contract';
import { withSnapshot } from '@/lib/server/http';

export async function GET(_req: Request, ctx: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await ctx.params;
  return withSnapshot(cluster, ({ topology, status }): ProcessesResponse => ({
    status,
    items: [...topology.processes].sort((a, b) => (a.host ?? '~').localeCompare(b.host ?? '~') || (a.binary ?? '').localeCompare(b.binary ?? '')),
  }));
}
