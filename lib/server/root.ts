import 'server-only';
// The composition root: the server's parts, made once per process from the configuration, and
// handed from here to what needs them (lib/server/api.ts gives each route only its capabilities).
// Next loads instrumentation, the request proxy and each route as bundles of their own, each with
// its own copy of every module: the one root is kept on globalThis, where all of them find it.
import { HistoryStore } from '@/lib/store/store';
import { Gate } from './auth';
import { ClusterRegistry } from './clusters';
import { type Config, parseConfig } from './config';
import { DashboardMetrics } from './metrics';

export interface ServerRoot {
  readonly config: Config;
  /** Who may come in: sign-in sessions, the throttle, trusted proxies, /metrics' token. */
  readonly gate: Gate;
  /** History and the journal (null: HISTORY_STORE=off); opened at first use. */
  readonly store: HistoryStore | null;
  readonly metrics: DashboardMetrics;
  readonly clusters: ClusterRegistry;
}

export function createRoot(config: Config): ServerRoot {
  const store = config.store ? new HistoryStore({ location: config.store.location }) : null;
  const metrics = new DashboardMetrics();
  return { config, gate: new Gate(config.auth, config.metricsToken), store, metrics, clusters: new ClusterRegistry(config, store, metrics) };
}

const slot = Symbol.for('openstack-rabbit-lens.root');
const held = globalThis as { [slot]?: ServerRoot };

/** This server's root, made from the environment at first use (instrumentation.ts makes it at start-up). */
export function root(): ServerRoot {
  held[slot] ??= createRoot(parseConfig(process.env));
  return held[slot];
}
