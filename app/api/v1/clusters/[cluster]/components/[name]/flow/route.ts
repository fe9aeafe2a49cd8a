// GET: the flow picture of one topic of a component, laid out (lib/domain/flow.ts).
import type { FlowResponse } from '@/lib/api/contract';
import { flowGraph } from '@/lib/domain/flow';
import { layoutFlow } from '@/lib/domain/flow-layout';
import { notFound, parse, searchParams, withSnapshot } from '@/lib/server/http';
import { flowQuery } from '@/lib/server/params';

export async function GET(req: Request, ctx: { params: Promise<{ cluster: string; name: string }> }) {
  const { cluster, name } = await ctx.params;
  return withSnapshot(req, cluster, ({ cluster: c, topology, status }): FlowResponse => {
    const q = parse(flowQuery, searchParams(req.url), 'query');
    const topics = topology.topics.filter((t) => t.component === name).map((t) => ({ vhost: t.vhost, name: t.name }));
    const vhost = q.vhost ?? topics.find((t) => t.name === q.topic)?.vhost;
    const graph = vhost ? flowGraph(topology, vhost, name, q.topic, c.findings.current().findings, c.findings, q.expand) : null;
    if (!graph) return notFound(`topic "${q.topic}" of component "${name}"${q.vhost ? ` in vhost "${q.vhost}"` : ''}`);
    return { status, vhost: graph.vhost, component: name, topic: q.topic, layout: layoutFlow(graph), groups: graph.groups, topics };
  });
}
