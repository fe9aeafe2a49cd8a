import type { ProcessesResponse } from '@/lib/api/contract';
import { listProcesses } from '@/lib/domain/views';
import { parse, searchParams, withSnapshot } from '@/lib/server/http';
import { processListQuery } from '@/lib/server/params';

export async function GET(req: Request, ctx: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await ctx.params;
  return withSnapshot(req, cluster, ({ topology, status }): ProcessesResponse => {
    const f = parse(processListQuery, searchParams(req.url), 'query');
    return { status, ...listProcesses(topology, f) };
  });
}
