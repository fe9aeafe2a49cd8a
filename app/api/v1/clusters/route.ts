// GET: the clusters, their status and enabled actions; `?include=health` adds each one's
// findings, service counts, totals and alarms for the page of all clusters (and so keeps
// every cluster's refresh going while that page is open).
import { z } from 'zod';
import type { ClusterHealth, ClustersResponse } from '@/lib/api/contract';
import { countBySeverity } from '@/lib/domain/findings/engine';
import { buildServiceRows } from '@/lib/domain/services';
import { nodeInTrouble } from '@/lib/domain/views';
import { actionsStatus } from '@/lib/server/actions';
import { type Cluster, clusterIds, getCluster } from '@/lib/server/clusters';
import { HttpError, json, parse, requirePrincipal, searchParams } from '@/lib/server/http';
import { NoSnapshotError } from '@/lib/server/snapshot';

const query = z.object({ include: z.enum(['health']).optional() }).strict();

async function health(c: Cluster): Promise<ClusterHealth> {
  const topology = await c.store.get().then(
    (s) => s.value,
    (err: unknown) => {
      if (err instanceof NoSnapshotError) return null;
      throw err;
    },
  );
  const { findings } = c.findings.current();
  const services: ClusterHealth['services'] = {};
  if (topology) for (const r of buildServiceRows(topology, findings, c.findings)) services[r.status] = (services[r.status] ?? 0) + 1;
  return {
    totals: topology?.totals ?? null,
    statsEnabled: topology?.overview.statsEnabled ?? null,
    findings: countBySeverity(findings),
    services,
    nodeAlarms: topology?.nodes.filter(nodeInTrouble).length ?? 0,
    broker: topology ? { clusterName: topology.overview.clusterName, rabbitmqVersion: topology.overview.rabbitmqVersion } : null,
  };
}

export async function GET(req: Request) {
  const who = requirePrincipal(req);
  if ('refusal' in who) return who.refusal;
  let include: string | undefined;
  try {
    include = parse(query, searchParams(req.url), 'query').include;
  } catch (err) {
    if (err instanceof HttpError) return json({ error: err.message, status: null }, { status: err.httpStatus });
    throw err;
  }
  const clusters = await Promise.all(
    clusterIds().flatMap((id) => {
      const c = getCluster(id, who.principal);
      if (!c) return [];
      return (async () => ({
        id,
        name: c.name,
        capturedAt: c.capturedAt,
        managementUrl: c.managementUrl,
        actions: actionsStatus(c.config),
        ...(include === 'health' ? { health: await health(c) } : {}),
        status: c.store.status(),
      }))();
    }),
  );
  return json<ClustersResponse>({ clusters });
}
