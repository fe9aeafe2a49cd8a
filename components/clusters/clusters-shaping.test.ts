import { describe, expect, it } from 'vitest';
import type { ClusterHealth, SnapshotStatus } from '@/lib/api/schemas';
import { clusterTrouble, sortClusters } from './clusters-shaping';

const fresh: SnapshotStatus = { fetchedAt: 1, stale: false, refreshing: false, error: null, refreshIntervalMs: 5000, warnings: [] };
const healthy: ClusterHealth = { totals: null, statsEnabled: true, findings: { critical: 0, warning: 0, info: 0 }, services: { ok: 10 }, nodeAlarms: 0, broker: null };

describe('clusterTrouble', () => {
  it('red for an unreadable broker, a critical finding, an alarm, an RPC server down; amber for warnings, backlogs, staleness', () => {
    expect(clusterTrouble(fresh, healthy)).toBe('green');
    expect(clusterTrouble({ ...fresh, fetchedAt: null, stale: true, error: { message: 'refused', request: null, since: 1 } }, healthy)).toBe('red');
    expect(clusterTrouble(fresh, { ...healthy, findings: { critical: 1, warning: 0, info: 0 } })).toBe('red');
    expect(clusterTrouble(fresh, { ...healthy, nodeAlarms: 1 })).toBe('red');
    expect(clusterTrouble(fresh, { ...healthy, services: { ok: 9, 'not-consuming': 1 } })).toBe('red');
    expect(clusterTrouble(fresh, { ...healthy, services: { ok: 9, backlog: 1 } })).toBe('amber');
    expect(clusterTrouble({ ...fresh, stale: true }, healthy)).toBe('amber');
    expect(clusterTrouble(fresh, { ...healthy, services: { unknown: 10 } })).toBe('unknown');
    expect(clusterTrouble({ ...fresh, fetchedAt: null }, healthy)).toBe('unknown');
  });

  it('sorts the worst first, then by name', () => {
    const c = (name: string, health: ClusterHealth) => ({ name, status: fresh, health });
    const sorted = sortClusters([c('b', healthy), c('a', healthy), c('z', { ...healthy, nodeAlarms: 2 }), c('m', { ...healthy, services: { backlog: 1 } })]);
    expect(sorted.map((x) => x.name)).toEqual(['z', 'm', 'a', 'b']);
  });
});
