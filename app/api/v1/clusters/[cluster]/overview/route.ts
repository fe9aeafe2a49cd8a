import type { OverviewResponse } from '@/lib/api/contract';
import { exchangeGroupCounts } from '@/lib/domain/views';
import { withSnapshot } from '@/lib/server/http';

export async function GET(req: Request, ctx: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await ctx.params;
  return withSnapshot(req, cluster, ({ cluster: c, topology, status }): OverviewResponse => ({
    status,
    broker: topology.overview,
    nodes: topology.nodes,
    vhosts: topology.vhosts,
    totals: topology.totals,
    components: topology.components,
    groups: topology.groups,
    exchangeGroups: exchangeGroupCounts(topology.exchanges),
    history: c.history.globalSamples(),
  }));
}
