import type { ClustersResponse } from '@/lib/api/contract';
import { clusterIds, getCluster } from '@/lib/server/clusters';
import { actionsStatus } from '@/lib/server/actions';
import { json, requirePrincipal } from '@/lib/server/http';

export async function GET(req: Request) {
  const who = requirePrincipal(req);
  if ('refusal' in who) return who.refusal;
  const clusters = clusterIds().flatMap((id) => {
    const c = getCluster(id, who.principal);
    return c ? [{ id, name: c.name, managementUrl: c.managementUrl, status: c.store.status(), actions: actionsStatus(c.config) }] : [];
  });
  return json<ClustersResponse>({ clusters });
}
