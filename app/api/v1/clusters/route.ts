// GET: the clusters, their status and enabled actions; `?include=health` adds each one's
// findings, service counts, totals and alarms for the page of all clusters (and so keeps
// every cluster's refresh going while that page is open).
import type { ClustersResponse } from '@/lib/api/schemas';
import { clusterHealth, clusterInfo } from '@/lib/api/answers';
import { apiRoute } from '@/lib/server/api';
import { type Cluster, stateOrNull } from '@/lib/server/cluster';
import { clusterIds, getCluster } from '@/lib/server/clusters';
import { clustersQuery } from '@/lib/server/params';

export const GET = apiRoute(clustersQuery, async ({ principal, query }): Promise<ClustersResponse> => {
  const clusters = clusterIds()
    .map((id) => getCluster(id, principal))
    .filter((c): c is Cluster => c !== null);
  return {
    clusters: await Promise.all(
      clusters.map(async (c) => {
        // A capture says what it is (its time, its broker) once its file is read: that costs nothing after the first time.
        const state = query.include === 'health' || c.source.kind === 'capture' ? await stateOrNull(c) : null;
        return { ...clusterInfo(c), ...(query.include === 'health' ? { health: clusterHealth(state) } : {}) };
      }),
    ),
  };
});
