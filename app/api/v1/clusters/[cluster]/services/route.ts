import type { ServicesResponse } from '@/lib/api/contract';
import { buildServiceRows, serviceList } from '@/lib/domain/services';
import { actionsStatus } from '@/lib/server/actions';
import { parse, searchParams, withSnapshot } from '@/lib/server/http';
import { serviceListQuery } from '@/lib/server/params';

export async function GET(req: Request, ctx: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await ctx.params;
  return withSnapshot(req, cluster, ({ cluster: c, topology, status }): ServicesResponse => {
    const f = parse(serviceListQuery, searchParams(req.url), 'query');
    const rows = buildServiceRows(topology, c.findings.current().findings, c.findings);
    return { status, ...serviceList(rows, f), probe: actionsStatus(c.config).probe };
  });
}
