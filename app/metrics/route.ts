// GET /metrics: Prometheus' view of every cluster (lib/server/metrics.ts).
import { metricsAccess } from '@/lib/server/auth';
import { clusterIds, getCluster, type Cluster } from '@/lib/server/clusters';
import { renderMetrics } from '@/lib/server/metrics';

export async function GET(req: Request) {
  const refusal = metricsAccess(req.headers);
  if (refusal) return new Response(`${refusal.error}\n`, { status: refusal.httpStatus, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const clusters = clusterIds()
    .map((id) => getCluster(id))
    .filter((c): c is Cluster => c !== null);
  const { contentType, body } = await renderMetrics(clusters);
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}
