// GET: the clusters, their status and enabled actions; `?include=health` adds each one's
// findings, service counts, totals and alarms for the page of all clusters (and so keeps
// every cluster's refresh going while that page is open).
import type { ClustersResponse } from '@/lib/api/schemas';
import { clusterHealth, clusterInfo } from '@/lib/api/answers';
import { apiRoute } from '@/lib/server/api';
import { clustersQuery } from '@/lib/server/params';

export const GET = apiRoute(clustersQuery, async ({ query, clusters }): Promise<ClustersResponse> => ({
  clusters: await Promise.all(
    clusters.map(async (c) => {
      if (query.include !== 'health') {
        await c.identified();
        return clusterInfo(c);
      }
      const state = await c.state();
      return { ...clusterInfo(c), health: clusterHealth(state) };
    }),
  ),
}));
