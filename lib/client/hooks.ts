'use client';
// One React Query hook per API endpoint, typed with the contract.
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import type {
  ClustersResponse,
  ComponentDetailResponse,
  ExchangeDetailResponse,
  ExchangesResponse,
  FlowResponse,
  FindingsResponse,
  OverviewResponse,
  PeekResponse,
  ProbeRequest,
  ProbeResponse,
  ProcessDetailResponse,
  ProcessesResponse,
  QueueDetailResponse,
  QueuesResponse,
  RouteResponse,
  ServicesResponse,
  SessionResponse,
  SignInRequest,
} from '@/lib/api/contract';
import { ApiRequestError, apiGet, apiPost } from './fetcher';
import { apiPath, type FindingsQuery, type FlowFilters, type QueueListFilters, type ServicesFilters } from './links';
import { queryKeys } from './query-keys';
import { useClusterId } from './cluster';
import { useRefetchInterval } from './refresh';

/** Do not retry what will not change: bad parameters, missing objects. */
function retry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiRequestError && error.httpStatus >= 400 && error.httpStatus < 500) return false;
  return failureCount < 2;
}

function useLive() {
  const refetchInterval = useRefetchInterval();
  return { refetchInterval, retry, refetchIntervalInBackground: false } as const;
}

/** Who the dashboard takes this browser for, and how it authenticates. */
export function useSession() {
  return useQuery<SessionResponse, Error>({
    queryKey: queryKeys.session(),
    queryFn: ({ signal }) => apiGet<SessionResponse>(apiPath.session(), { signal }),
    retry,
    staleTime: 60_000,
  });
}

/** Signing in and out are never retried: a wrong password counts towards the throttle. */
export function useSignIn() {
  return useMutation<SessionResponse, Error, SignInRequest>({
    mutationFn: (credentials) => apiPost<SessionResponse>(apiPath.session(), credentials),
    retry: false,
  });
}

export function useSignOut() {
  return useMutation<SessionResponse, Error, void>({
    mutationFn: () => apiPost<SessionResponse>(apiPath.session(), {}, { method: 'DELETE' }),
    retry: false,
  });
}

/** Every cluster at a glance: findings, services, totals (the page of all clusters). */
export function useClustersHealth() {
  return useQuery({
    queryKey: queryKeys.clustersHealth(),
    queryFn: ({ signal }) => apiGet<ClustersResponse>(apiPath.clusters('health'), { signal }),
    ...useLive(),
  });
}

export function useClusters() {
  const live = useLive();
  return useQuery({
    queryKey: queryKeys.clusters(),
    queryFn: ({ signal }) => apiGet<ClustersResponse>(apiPath.clusters(), { signal }),
    ...live,
    refetchInterval: live.refetchInterval === false ? false : 30_000,
  });
}

export function useOverview(clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.overview(cluster),
    queryFn: ({ signal }) => apiGet<OverviewResponse>(apiPath.overview(cluster), { signal }),
    ...useLive(),
  });
}

export function useExchanges(f: { group?: string; vhost?: string; q?: string } = {}, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.exchanges(cluster, f),
    queryFn: ({ signal }) => apiGet<ExchangesResponse>(apiPath.exchanges(f, cluster), { signal }),
    placeholderData: keepPreviousData,
    ...useLive(),
  });
}

export function useExchange(vhost: string, name: string, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.exchange(cluster, vhost, name),
    queryFn: ({ signal }) => apiGet<ExchangeDetailResponse>(apiPath.exchange(vhost, name, cluster), { signal }),
    ...useLive(),
  });
}

/** Where a message with this routing key goes from the exchange; nothing is asked while `key` is null. */
export function useRoute(vhost: string, name: string, key: string | null, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.route(cluster, vhost, name, key ?? ''),
    queryFn: ({ signal }) => apiGet<RouteResponse>(apiPath.route(vhost, name, key ?? '', cluster), { signal }),
    enabled: key !== null,
    placeholderData: keepPreviousData,
    ...useLive(),
  });
}

/** The flow picture of one topic; nothing is asked until a topic is chosen. */
export function useFlow(component: string, f: FlowFilters, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.flow(cluster, component, f),
    queryFn: ({ signal }) => apiGet<FlowResponse>(apiPath.flow(component, f, cluster), { signal }),
    enabled: !!f.topic,
    placeholderData: keepPreviousData,
    ...useLive(),
  });
}

export function useComponent(name: string, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.component(cluster, name),
    queryFn: ({ signal }) => apiGet<ComponentDetailResponse>(apiPath.component(name, cluster), { signal }),
    ...useLive(),
  });
}

export const QUEUES_PAGE_SIZE = 1000;

/** The queue list, paged by the server and loaded page after page as the list scrolls. */
export function useQueues(filters: QueueListFilters, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  // The page shows numbers biggest first by default; say so to the server explicitly.
  const f: QueueListFilters = filters.sort && !filters.order ? { ...filters, order: filters.sort === 'name' ? 'asc' : 'desc' } : filters;
  return useInfiniteQuery({
    queryKey: queryKeys.queues(cluster, { ...f, pageSize: QUEUES_PAGE_SIZE }),
    queryFn: ({ signal, pageParam }) =>
      apiGet<QueuesResponse>(apiPath.queues({ ...f, page: pageParam, pageSize: QUEUES_PAGE_SIZE }, cluster), { signal }),
    initialPageParam: 1,
    getNextPageParam: (last) => (last.page * last.pageSize < last.filtered ? last.page + 1 : undefined),
    placeholderData: keepPreviousData,
    ...useLive(),
  });
}

export function useQueue(vhost: string, name: string, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.queue(cluster, vhost, name),
    queryFn: ({ signal }) => apiGet<QueueDetailResponse>(apiPath.queue(vhost, name, cluster), { signal }),
    ...useLive(),
  });
}

export function useProcesses(f: { q?: string; limit?: number } = {}, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.processes(cluster, f),
    queryFn: ({ signal }) => apiGet<ProcessesResponse>(apiPath.processes(f, cluster), { signal }),
    placeholderData: keepPreviousData,
    ...useLive(),
  });
}

export function useProcess(id: string, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.process(cluster, id),
    queryFn: ({ signal }) => apiGet<ProcessDetailResponse>(apiPath.process(id, cluster), { signal }),
    ...useLive(),
  });
}

// ---------------------------------------------------------------- diagnosis

/** All findings (the findings page), a summary (`limit`), or one subject's. */
export function useFindings(f: FindingsQuery = {}, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.findings(cluster, f),
    queryFn: ({ signal }) => apiGet<FindingsResponse>(apiPath.findings(f, cluster), { signal }),
    ...useLive(),
  });
}

export function useServices(f: ServicesFilters & { limitPerGroup?: number } = {}, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  const filters = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== '')) as typeof f;
  return useQuery({
    queryKey: queryKeys.services(cluster, filters),
    queryFn: ({ signal }) => apiGet<ServicesResponse>(apiPath.services(filters, cluster), { signal }),
    placeholderData: keepPreviousData,
    ...useLive(),
  });
}

/** What the operator enabled on this cluster: the RPC ping and the backlog view. Null until known. */
export function useClusterActions(clusterId?: string) {
  const cluster = useClusterId(clusterId);
  const q = useClusters();
  const info = q.data?.clusters.find((c) => c.id === cluster) ?? null;
  return { actions: info?.actions ?? null, error: q.error, isLoading: q.isLoading };
}

/** The RPC ping: one mutation per control, never retried (it writes to the broker). */
export function useProbe(clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useMutation<ProbeResponse, Error, ProbeRequest>({
    mutationFn: (req) => apiPost<ProbeResponse>(apiPath.probe(cluster), req),
    retry: false,
  });
}

/** Reads (and requeues) the first messages of a queue. Only ever on an explicit click. */
export function usePeek(vhost: string, name: string, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useMutation<PeekResponse, Error, { count: number }>({
    mutationFn: ({ count }) => apiPost<PeekResponse>(apiPath.peek(vhost, name, cluster), { count }),
    retry: false,
  });
}
