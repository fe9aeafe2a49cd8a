import 'server-only';
// The clusters this server watches, built from the configuration (lib/server/config.ts). With
// AUTH_MODE=login each signed-in operator gets a view of their own, read with their own
// credentials, so they see exactly what the broker lets them see; it is dropped once unused.
import { createHash } from 'node:crypto';
import { ManagementClient } from '@/lib/broker/management-client';
import { DEFAULT_THRESHOLDS, type Thresholds } from '@/lib/domain/findings/types';
import type { Principal } from './auth';
import { type Cluster, type ClusterActions, createCluster } from './cluster';
import { type ClusterConfig, getConfig } from './config';
import { observeRefreshes, observeStoreWrite } from './metrics';
import { Recorder } from './recorder';
import { recallOpenFindings } from './remembered';
import { historyStore } from './store';
import type { BrokerCredentials } from './sessions';
import { brokerSource, captureSource, type Source } from './sources';

/** The findings' and health's thresholds: the defaults, with the configured ones over them. */
function thresholds(): Thresholds {
  return { ...DEFAULT_THRESHOLDS, ...getConfig().findings };
}

const CAPTURE_REFUSES = 'an offline capture: nothing can be sent to it';

function actionsOf(config: ClusterConfig): ClusterActions {
  if (config.capturePath !== null) return { probe: { enabled: false, reason: CAPTURE_REFUSES }, peek: { enabled: false, reason: CAPTURE_REFUSES } };
  return {
    probe: config.amqpUrl
      ? { enabled: true, amqpUrl: config.amqpUrl, tls: config.tls, timeoutMs: config.probeTimeoutMs }
      : {
          enabled: false,
          reason:
            'the RPC ping is not configured: set RABBITMQ_AMQP_URL (in DASHBOARD_CONFIG: actions.probe and amqpUrlEnv) to a user that may declare a queue and publish',
        },
    peek: config.peekEnabled
      ? { enabled: true, allowQuorum: config.peekAllowQuorum }
      : { enabled: false, reason: 'reading a backlog is off: set PEEK_ENABLED=true (in DASHBOARD_CONFIG: actions.peek) — it requeues the messages it reads' },
  };
}

function sourceOf(config: ClusterConfig, credentials: BrokerCredentials): Source {
  if (config.capturePath !== null) return captureSource(config.capturePath);
  return brokerSource({
    client: new ManagementClient({ baseUrl: config.managementUrl, ...credentials, timeoutMs: config.requestTimeoutMs, tls: config.tls }),
    topologyIntervalMs: config.topologyIntervalMs,
    refreshIntervalMs: config.refreshIntervalMs,
    requestTimeoutMs: config.requestTimeoutMs,
    prometheus: config.prometheus,
  });
}

function build(config: ClusterConfig, credentials: BrokerCredentials | null): Cluster {
  // The store holds the configured user's view: only that view recalls what it left open.
  const store = credentials === null && config.capturePath === null ? historyStore() : null;
  return createCluster({
    recall: store ? () => recallOpenFindings(store, config.id, Date.now()) : undefined,
    id: config.id,
    name: config.name,
    managementUrl: config.managementUrl,
    source: sourceOf(config, credentials ?? { username: config.username, password: config.password }),
    actions: actionsOf(config),
    thresholds: thresholds(),
    historySamples: getConfig().historySamples,
    refreshIntervalMs: config.refreshIntervalMs,
    topologyIntervalMs: config.topologyIntervalMs,
    // An operator's own view is read while they look; the configured user's as configured.
    watch: credentials === null ? config.watch : 'on-demand',
    timeoutHint: 'raise REQUEST_TIMEOUT_MS, or requestTimeoutMs in DASHBOARD_CONFIG',
  });
}

// Survives Next's module reloading in development; one per server process.
const registry = globalThis as unknown as { __clusters?: Map<string, { cluster: Cluster; lastUsedAt: number }> };

/** Whose eyes a view is read with: the configured user, or one signed-in operator (and their password: it may change). */
function viewKey(id: string, credentials: BrokerCredentials | null): string {
  if (!credentials) return id;
  const digest = createHash('sha256').update(`${credentials.username}\u0000${credentials.password}`).digest('base64url');
  return `${id}\u0000${digest}`;
}

/** Operators' views nobody asked for in this long are dropped (their refresh timers have long stopped). */
function dropUnused(now: number): void {
  const auth = getConfig().auth;
  if (auth.mode !== 'login') return;
  for (const [key, entry] of registry.__clusters ?? []) {
    if (now - entry.lastUsedAt > auth.sessionIdleMs) registry.__clusters?.delete(key);
  }
}

/** The cluster as this principal may see it; without a principal (or without login), as the configured user sees it. */
export function getCluster(id: string, principal: Principal | null = null): Cluster | null {
  const config = getConfig().clusters.find((c) => c.id === id);
  if (!config) return null;
  registry.__clusters ??= new Map();
  const now = Date.now();
  const credentials = principal?.credentials ?? null;
  // A capture is the same for every operator: there is no broker to ask as them.
  const key = config.capturePath !== null ? id : viewKey(id, credentials);
  let entry = registry.__clusters.get(key);
  if (!entry) {
    dropUnused(now);
    const cluster = build(config, credentials);
    // /metrics and the store follow the refreshes of the configured user's view, not each operator's.
    if (key === id && config.capturePath === null) {
      observeRefreshes(cluster);
      const store = historyStore();
      if (store) new Recorder(id, store, (ms, ok) => observeStoreWrite(id, ms, ok)).follow(cluster);
    }
    entry = { cluster, lastUsedAt: now };
    registry.__clusters.set(key, entry);
  }
  entry.lastUsedAt = now;
  return entry.cluster;
}

/**
 * Starts reading every cluster watched always (WATCH_MODE, `watch` in DASHBOARD_CONFIG) at once,
 * as the configured user: findings, /metrics and history do not wait for a viewer. Called once at
 * start-up (instrumentation.ts).
 */
export function watchAll(): string[] {
  const watched = getConfig().clusters.filter((c) => c.capturePath === null && c.watch === 'always');
  for (const c of watched) void getCluster(c.id)?.refresh();
  return watched.map((c) => c.id);
}

export function clusterIds(): string[] {
  return getConfig().clusters.map((c) => c.id);
}
