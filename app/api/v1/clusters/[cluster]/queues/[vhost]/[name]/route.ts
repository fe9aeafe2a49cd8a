import type { QueueDetailResponse } from '@/lib/api/contract';
import { describeArgument } from '@/lib/domain/arguments';
import { queueDetail } from '@/lib/domain/views';
import { notFound, withSnapshot } from '@/lib/server/http';

export async function GET(req: Request, ctx: { params: Promise<{ cluster: string; vhost: string; name: string }> }) {
  const { cluster, vhost, name } = await ctx.params;
  return withSnapshot(req, cluster, async ({ cluster: c, topology, status }): Promise<QueueDetailResponse> => {
    const detail = queueDetail(topology, vhost, name);
    if (!detail) notFound(`queue "${name}" in vhost "${vhost}"`);
    const brokerSamples = await c.queueHistory(vhost, name);
    const own = c.history.queueSamples(vhost, name);
    const firstOwn = own[0]?.t ?? Number.POSITIVE_INFINITY;
    return {
      status,
      ...detail,
      arguments: Object.entries(detail.queue.arguments).map(([key, value]) => ({ key, value, meaning: describeArgument(key, value) })),
      history: [...brokerSamples.filter((s) => s.t < firstOwn), ...own],
    };
  });
}
