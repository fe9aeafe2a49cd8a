'use client';
// One React Query hook per API endpoint, typed with the contract.
import { keepPreviousData, useInfiniteQuery, useMutation, useMutationState, useQuery } from '@tanstack/react-query';
import {
  clustersResponse,
  componentDetailResponse,
  exchangeDetailResponse,
  exchangesResponse,
  findingsResponse,
  historyResponse,
  hostDetailResponse,
  journalResponse,
  flowResponse,
  overviewResponse,
  peekResponse,
  type PeekResponse,
  type ProbeRequest,
  probeResponse,
  type ProbeResponse,
  processDetailResponse,
  processesResponse,
  queueDetailResponse,
  queuesResponse,
  routeResponse,
  servicesResponse,
  sessionResponse,
  type SessionResponse,
  type SignInRequest,
  upgradeResponse,
} from '@/lib/api/schemas';
import { ApiRequestError, apiGet, apiPost } from './fetcher';
import { apiPath, type FindingsQuery, type FlowFilters, type HistoryQuery, type QueueListFilters, type ServicesFilters, type TimelineFilters } from './links';
import { queryKeys } from './query-keys';
import { useClusterId } from './cluster';
import { useRefetchInterval, useRefreshSettings } from './refresh';

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
    queryFn: ({ signal }) => apiGet(apiPath.session(), sessionResponse, { signal }),
    retry,
    staleTime: 60_000,
  });
}

/** Signing in and out are never retried: a wrong password counts towards the throttle. */
export function useSignIn() {
  return useMutation<SessionResponse, Error, SignInRequest>({
    mutationFn: (credentials) => apiPost(apiPath.session(), credentials, sessionResponse),
    retry: false,
  });
}

export function useSignOut() {
  return useMutation<SessionResponse, Error, void>({
    mutationFn: () => apiPost(apiPath.session(), {}, sessionResponse, { method: 'DELETE' }),
    retry: false,
  });
}

/** Every cluster at a glance: findings, services, totals (the page of all clusters). */
export function useClustersHealth() {
  return useQuery({
    queryKey: queryKeys.clustersHealth(),
    queryFn: ({ signal }) => apiGet(apiPath.clusters('health'), clustersResponse, { signal }),
    ...useLive(),
  });
}

/** The clusters and what is enabled on them: that changes only with the configuration. */
export function useClusters() {
  const { paused } = useRefreshSettings();
  return useQuery({
    queryKey: queryKeys.clusters(),
    queryFn: ({ signal }) => apiGet(apiPath.clusters(), clustersResponse, { signal }),
    retry,
    refetchInterval: paused ? false : 30_000,
    refetchIntervalInBackground: false,
  });
}

export function useOverview(clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.overview(cluster),
    queryFn: ({ signal }) => apiGet(apiPath.overview(cluster), overviewResponse, { signal }),
    ...useLive(),
  });
}

export function useExchanges(f: { group?: string; vhost?: string; q?: string } = {}, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.exchanges(cluster, f),
    queryFn: ({ signal }) => apiGet(apiPath.exchanges(f, cluster), exchangesResponse, { signal }),
    placeholderData: keepPreviousData,
    ...useLive(),
  });
}

export function useExchange(vhost: string, name: string, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.exchange(cluster, vhost, name),
    queryFn: ({ signal }) => apiGet(apiPath.exchange(vhost, name, cluster), exchangeDetailResponse, { signal }),
    ...useLive(),
  });
}

/** Where a message with this routing key goes from the exchange; nothing is asked while `key` is null. */
export function useRoute(vhost: string, name: string, key: string | null, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.route(cluster, vhost, name, key ?? ''),
    queryFn: ({ signal }) => apiGet(apiPath.route(vhost, name, key ?? '', cluster), routeResponse, { signal }),
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
    queryFn: ({ signal }) => apiGet(apiPath.flow(component, f, cluster), flowResponse, { signal }),
    enabled: !!f.topic,
    placeholderData: keepPreviousData,
    ...useLive(),
  });
}

export function useComponent(name: string, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.component(cluster, name),
    queryFn: ({ signal }) => apiGet(apiPath.component(name, cluster), componentDetailResponse, { signal }),
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
      apiGet(apiPath.queues({ ...f, page: pageParam, pageSize: QUEUES_PAGE_SIZE }, cluster), queuesResponse, { signal }),
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
    queryFn: ({ signal }) => apiGet(apiPath.queue(vhost, name, cluster), queueDetailResponse, { signal }),
    ...useLive(),
  });
}

export function useProcesses(f: { q?: string; vhost?: string; limit?: number } = {}, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.processes(cluster, f),
    queryFn: ({ signal }) => apiGet(apiPath.processes(f, cluster), processesResponse, { signal }),
    placeholderData: keepPreviousData,
    ...useLive(),
  });
}

export function useProcess(id: string, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.process(cluster, id),
    queryFn: ({ signal }) => apiGet(apiPath.process(id, cluster), processDetailResponse, { signal }),
    ...useLive(),
  });
}

export function useHost(host: string, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.host(cluster, host),
    queryFn: ({ signal }) => apiGet(apiPath.host(host, cluster), hostDetailResponse, { signal }),
    ...useLive(),
  });
}

// ---------------------------------------------------------------- what the store remembers

/** What is remembered changes slower than the live state: a range back from now is asked again every 15 s. */
const REMEMBERED_INTERVAL_MS = 15_000;

function useRemembered() {
  const { paused } = useRefreshSettings();
  return { refetchInterval: paused ? (false as const) : REMEMBERED_INTERVAL_MS, retry, refetchIntervalInBackground: false, placeholderData: keepPreviousData } as const;
}

export function useHistory(f: HistoryQuery, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.history(cluster, f),
    queryFn: ({ signal }) => apiGet(apiPath.history(f, cluster), historyResponse, { signal }),
    ...useRemembered(),
  });
}

export function useJournal(f: TimelineFilters, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.journal(cluster, f),
    queryFn: ({ signal }) => apiGet(apiPath.journal(f, cluster), journalResponse, { signal }),
    ...useRemembered(),
  });
}

// ---------------------------------------------------------------- diagnosis

/** All findings (the findings page), a summary (`limit`), or one subject's. */
export function useFindings(f: FindingsQuery = {}, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.findings(cluster, f),
    queryFn: ({ signal }) => apiGet(apiPath.findings(f, cluster), findingsResponse, { signal }),
    ...useLive(),
  });
}

export function useServices(f: ServicesFilters & { limitPerGroup?: number } = {}, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  const filters = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== '')) as typeof f;
  return useQuery({
    queryKey: queryKeys.services(cluster, filters),
    queryFn: ({ signal }) => apiGet(apiPath.services(filters, cluster), servicesResponse, { signal }),
    placeholderData: keepPreviousData,
    ...useLive(),
  });
}

/** What the coming RabbitMQ versions take away that this cloud uses, per check and per service. */
export function useUpgrade(clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useQuery({
    queryKey: queryKeys.upgrade(cluster),
    queryFn: ({ signal }) => apiGet(apiPath.upgrade(cluster), upgradeResponse, { signal }),
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

/**
 * The RPC ping of one target, and its latest outcome; never retried (it writes to the broker). Held by
 * the query client under the target, not by the component: a row that a refresh renders anew still
 * shows the answer, and so does every other button aimed at the same server.
 */
export function useProbe(request: ProbeRequest, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  const mutationKey = ['probe', cluster, request.vhost ?? null, request.exchange ?? null, request.topic, request.server];
  const { mutate } = useMutation<ProbeResponse, Error, ProbeRequest>({
    mutationKey,
    mutationFn: (req) => apiPost(apiPath.probe(cluster), req, probeResponse),
    retry: false,
  });
  const latest = useMutationState({
    filters: { mutationKey, exact: true },
    select: (m) => ({ status: m.state.status, data: m.state.data as ProbeResponse | undefined, error: m.state.error }),
  }).at(-1);
  return {
    ping: () => mutate(request),
    isPending: latest?.status === 'pending',
    data: latest?.status === 'success' ? latest.data : undefined,
    error: latest?.status === 'error' ? latest.error : null,
  };
}

/** Reads (and requeues) the first messages of a queue. Only ever on an explicit click. */
export function usePeek(vhost: string, name: string, clusterId?: string) {
  const cluster = useClusterId(clusterId);
  return useMutation<PeekResponse, Error, { count: number }>({
    mutationFn: ({ count }) => apiPost(apiPath.peek(vhost, name, cluster), { count }, peekResponse),
    retry: false,
  });
}
