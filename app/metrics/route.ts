// GET /metrics: Prometheus' view of every live cluster (lib/server/metrics.ts). An opened
// capture is not a live broker: nothing of it belongs in a time series.
import { metricsAccess } from '@/lib/server/auth';
import { type Cluster, stateOrNull } from '@/lib/server/cluster';
import { clusterIds, getCluster } from '@/lib/server/clusters';
import { httpStatusOf } from '@/lib/server/errors';
import { renderMetrics } from '@/lib/server/metrics';
import { historyStore } from '@/lib/server/store';

export async function GET(req: Request) {
  const refusal = metricsAccess(req.headers);
  if (refusal) return new Response(`${refusal.error}\n`, { status: httpStatusOf(refusal.kind), headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const live = clusterIds()
    .map((id) => getCluster(id))
    .filter((c): c is Cluster => c !== null && c.source.kind === 'broker');
  const readings = await Promise.all(live.map(async (c) => ({ id: c.id, state: await stateOrNull(c), status: c.status() })));
  const { contentType, body } = await renderMetrics(readings, historyStore()?.status() ?? null);
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}
