import type { ClustersResponse } from '@/lib/api/contract';
import { clusterIds, getCluster } from '@/lib/server/clusters';
import { json } from '@/lib/server/http';

export async function GET() {
  const clusters = clusterIds().flatMap((id) => {
    const c = getCluster(id);
    return c ? [{ id, managementUrl: c.managementUrl, status: c.store.status() }] : [];
  });
  return json<ClustersResponse>({ clusters });
}
