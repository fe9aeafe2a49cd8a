// The one query-key factory. Keys nest so that invalidating `cluster(c)` hits every query of it.
import type { HistoryQuery, QueueListFilters, ServicesFilters, TimelineFilters } from './links';

export const queryKeys = {
  session: () => ['session'] as const,
  clusters: () => ['clusters'] as const,
  clustersHealth: () => ['clusters', 'health'] as const,
  cluster: (cluster: string) => ['cluster', cluster] as const,
  overview: (cluster: string) => [...queryKeys.cluster(cluster), 'overview'] as const,
  exchanges: (cluster: string, f: { group?: string; vhost?: string; q?: string }) =>
    [...queryKeys.cluster(cluster), 'exchanges', f] as const,
  exchange: (cluster: string, vhost: string, name: string) =>
    [...queryKeys.cluster(cluster), 'exchange', vhost, name] as const,
  route: (cluster: string, vhost: string, name: string, key: string) =>
    [...queryKeys.cluster(cluster), 'route', vhost, name, key] as const,
  component: (cluster: string, name: string) => [...queryKeys.cluster(cluster), 'component', name] as const,
  flow: (cluster: string, component: string, f: object) => [...queryKeys.cluster(cluster), 'flow', component, f] as const,
  queues: (cluster: string, f: QueueListFilters & { pageSize?: number }) =>
    [...queryKeys.cluster(cluster), 'queues', f] as const,
  queue: (cluster: string, vhost: string, name: string) =>
    [...queryKeys.cluster(cluster), 'queue', vhost, name] as const,
  processes: (cluster: string, f: { q?: string; vhost?: string; limit?: number }) => [...queryKeys.cluster(cluster), 'processes', f] as const,
  process: (cluster: string, id: string) => [...queryKeys.cluster(cluster), 'process', id] as const,
  host: (cluster: string, host: string) => [...queryKeys.cluster(cluster), 'host', host] as const,
  history: (cluster: string, f: HistoryQuery) => [...queryKeys.cluster(cluster), 'history', f] as const,
  journal: (cluster: string, f: TimelineFilters) => [...queryKeys.cluster(cluster), 'journal', f] as const,
  findings: (cluster: string, f: object = {}) => [...queryKeys.cluster(cluster), 'findings', f] as const,
  services: (cluster: string, f: ServicesFilters & { limitPerGroup?: number }) =>
    [...queryKeys.cluster(cluster), 'services', f] as const,
  upgrade: (cluster: string) => [...queryKeys.cluster(cluster), 'upgrade'] as const,
};
