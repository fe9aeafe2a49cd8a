// How bad each cluster looks, for the page of all clusters: worst first.
import type { ClusterHealth, SnapshotStatus } from '@/lib/api/schemas';
import { countWhere, isFailing, isInTrouble } from '@/lib/domain/services';

export type Trouble = 'red' | 'amber' | 'green' | 'unknown';

/** red: unreadable, a critical finding, an alarm or an RPC server failing; amber: warnings, backlogs, stale; unknown: not read yet, or no statistics. */
export function clusterTrouble(status: SnapshotStatus, health: ClusterHealth | undefined): Trouble {
  if (!health || (status.fetchedAt === null && status.error === null)) return 'unknown';
  if (status.fetchedAt === null || health.findings.critical > 0 || health.nodeAlarms > 0) return 'red';
  if (countWhere(health.services, isFailing) > 0) return 'red';
  if (status.stale || health.findings.warning > 0 || countWhere(health.services, isInTrouble) > 0) return 'amber';
  // A broker without statistics: nothing known to be wrong, but nothing known to be right either.
  return (health.services.unknown ?? 0) > 0 ? 'unknown' : 'green';
}

const RANK: Record<Trouble, number> = { red: 0, amber: 1, unknown: 2, green: 3 };

export function sortClusters<C extends { name: string; status: SnapshotStatus; health?: ClusterHealth }>(clusters: C[]): C[] {
  return [...clusters].sort((a, b) => RANK[clusterTrouble(a.status, a.health)] - RANK[clusterTrouble(b.status, b.health)] || a.name.localeCompare(b.name));
}
