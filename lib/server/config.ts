import 'server-only';
// Configuration, read and checked once: the environment, and the brokers either from it (one
// cluster, `default`) or from the file DASHBOARD_CONFIG names (YAML or JSON, many clusters).
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { BrokerTls } from '@/lib/broker/tls';
import { AUTH_MODES, WATCH_MODES, type WatchMode } from '@/lib/domain/vocabulary';

const withoutSlash = (url: string) => url.replace(/\/+$/, '');

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  /** A YAML or JSON file listing the clusters; without it, the one cluster `default` below. */
  DASHBOARD_CONFIG: z.string().min(1).optional(),
  RABBITMQ_MANAGEMENT_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:15672'),
  RABBITMQ_USERNAME: z.string().min(1).default('guest'),
  RABBITMQ_PASSWORD: z.string().default('guest'),
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  /** How often the shared snapshot of the broker is refreshed. */
  REFRESH_INTERVAL_MS: z.coerce.number().int().min(1000).max(600_000).default(2000),
  /** How often exchanges, bindings and queue metadata are re-read: they change slowly and cost the most. */
  TOPOLOGY_REFRESH_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** How long one management API request may take. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(500).max(300_000).default(60_000),
  /** Samples of history kept per series (at the refresh interval). */
  HISTORY_SAMPLES: z.coerce.number().int().min(10).max(10_000).default(120),
  /** AMQP access for the RPC ping; without it the ping is not configured. Needs a user that may declare a queue and publish. */
  RABBITMQ_AMQP_URL: z.url({ protocol: /^amqps?$/ }).optional(),
  PROBE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** RabbitMQ's Prometheus plugin (e.g. http://rabbit:15692): queue counts and rates when the management API has none. */
  RABBITMQ_PROMETHEUS_URL: z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/ }))),
  /** Reading messages of a backlog requeues them: off unless enabled. */
  PEEK_ENABLED: flag,
  /** On quorum queues each requeue counts towards the delivery limit: refused unless allowed too. */
  PEEK_ALLOW_QUORUM: flag,
  FINDINGS_WINDOW_MS: z.coerce.number().int().min(5_000).max(3_600_000).default(60_000),
  FINDINGS_BACKLOG_GROWTH: z.coerce.number().int().min(1).default(10),
  FINDINGS_NOTIFICATION_MESSAGES: z.coerce.number().int().min(1).default(1),
  FINDINGS_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(2000),
  FINDINGS_SETTLE_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  /** Ready messages from which a consumed queue's health is `backlog`. */
  FINDINGS_BACKLOG_MESSAGES: z.coerce.number().int().min(1).default(100),
  /** An oslo RPC queue holding a delivered message this long with no acknowledgement: its consumer is stuck. */
  FINDINGS_HELD_MS: z.coerce.number().int().min(1000).max(3_600_000).default(6000),
  /**
   * none: no login; the server listens on 127.0.0.1 only. login: operators sign in with their
   * RabbitMQ user and the broker is read as them. proxy: an authenticating proxy names the user.
   */
  AUTH_MODE: z.enum(AUTH_MODES).default('none'),
  WATCH_MODE: z.enum(WATCH_MODES).default('always'),
  /** Where history and the journal are kept: a SQLite file (created with its directory; relative to where the server runs), a postgres:// URL, or off. */
  HISTORY_STORE: z.string().min(1).default('data/history.sqlite'),
  SESSION_IDLE_MS: z.coerce.number().int().min(60_000).max(7 * 86_400_000).default(3_600_000),
  SESSION_MAX_MS: z.coerce.number().int().min(60_000).max(30 * 86_400_000).default(43_200_000),
  /** The header in which the authenticating proxy names the user. */
  AUTH_PROXY_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'a header name')
    .refine((h) => !/^(host|cookie|authorization|content-type|origin|x-lens-.*)$/i.test(h), 'not a header the proxy may use for the user')
    .default('X-Forwarded-User'),
  /** Bearer token Prometheus sends to /metrics; required there with AUTH_MODE=login or proxy. */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** Addresses or networks (CIDR) of the authenticating proxies, comma separated. */
  AUTH_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((a) => a.trim()).filter(Boolean))
    .pipe(z.array(z.string().refine(isAddressOrNetwork, { error: (issue) => `"${String(issue.input)}" is neither an IP address nor a network like 10.0.0.0/24` }))),
});

function isAddressOrNetwork(s: string): boolean {
  const [address = '', prefix, ...rest] = s.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

export type AuthConfig =
  | { mode: 'none' }
  | { mode: 'login'; sessionIdleMs: number; sessionMaxMs: number }
  | { mode: 'proxy'; userHeader: string; trustedProxies: string[] };

/** One broker the dashboard watches. Holds secrets: server only, never shown. */
export interface ClusterConfig {
  id: string;
  name: string;
  /** Without credentials: safe to show. */
  managementUrl: string;
  username: string;
  password: string;
  /** AMQP URL with credentials, for the RPC ping; null: the ping is off. */
  amqpUrl: string | null;
  tls: BrokerTls | null;
  refreshIntervalMs: number;
  topologyIntervalMs: number;
  requestTimeoutMs: number;
  probeTimeoutMs: number;
  peekEnabled: boolean;
  peekAllowQuorum: boolean;
  /** An offline capture opened read-only in place of a broker; null for a live one. */
  capturePath: string | null;
  /** Queue counts and rates from RabbitMQ's Prometheus plugin; null: never. */
  prometheus: { urls: string[] } | null;
  /** always: read from start-up, whether anyone looks or not; on-demand: only while someone looks. */
  watch: WatchMode;
}

export interface Config {
  /** Never empty; the first is where operators sign in (AUTH_MODE=login). */
  clusters: ClusterConfig[];
  /** Where the clusters came from: the environment, or the file's path. */
  clustersFrom: string;
  port: number;
  historySamples: number;
  /** Where history and the journal are kept (a SQLite file or a postgres:// URL; contains a secret): null, nowhere. */
  store: { location: string } | null;
  findings: { windowMs: number; backlogGrowth: number; notificationMessages: number; graceMs: number; settleMs: number; backlogMessages: number; heldMs: number };
  auth: AuthConfig;
  /** Contains a secret: server only. */
  metricsToken: string | null;
}

function authConfig(c: z.infer<typeof schema>): AuthConfig {
  switch (c.AUTH_MODE) {
    case 'none':
      return { mode: 'none' };
    case 'login':
      return { mode: 'login', sessionIdleMs: Math.min(c.SESSION_IDLE_MS, c.SESSION_MAX_MS), sessionMaxMs: c.SESSION_MAX_MS };
    case 'proxy':
      if (c.AUTH_TRUSTED_PROXIES.length === 0)
        throw new Error('invalid configuration: AUTH_MODE=proxy needs AUTH_TRUSTED_PROXIES, the addresses of the authenticating proxies');
      return { mode: 'proxy', userHeader: c.AUTH_PROXY_HEADER.toLowerCase(), trustedProxies: c.AUTH_TRUSTED_PROXIES };
  }
}

type Env = Record<string, string | undefined>;

/** Why a file could not be read, in a word (ENOENT, EACCES, …). */
export function readFailure(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? String(err);
}
type ReadFile = (path: string) => string;

function problems(error: z.ZodError, where?: string): string {
  return error.issues.map((i) => `${[where, ...i.path].filter((p) => p !== undefined).join('.')}: ${i.message}`).join('; ');
}

/** A URL as shown (no credentials in it), and the credentials it carried. */
function splitCredentials(raw: string): { url: string; username: string | null; password: string | null } {
  const url = new URL(raw);
  const username = url.username ? decodeURIComponent(url.username) : null;
  const password = url.password ? decodeURIComponent(url.password) : null;
  url.username = '';
  url.password = '';
  return { url: url.toString().replace(/\/+$/, ''), username, password };
}

function clusterFromEnvironment(c: z.infer<typeof schema>): ClusterConfig {
  // Credentials belong in RABBITMQ_USERNAME/PASSWORD; never keep them in a URL that may be shown.
  const { url, username, password } = splitCredentials(c.RABBITMQ_MANAGEMENT_URL);
  return {
    id: 'default',
    name: 'default',
    managementUrl: url,
    username: username ?? c.RABBITMQ_USERNAME,
    password: password ?? c.RABBITMQ_PASSWORD,
    amqpUrl: c.RABBITMQ_AMQP_URL ?? null,
    tls: null,
    refreshIntervalMs: c.REFRESH_INTERVAL_MS,
    topologyIntervalMs: Math.max(c.TOPOLOGY_REFRESH_MS, c.REFRESH_INTERVAL_MS),
    requestTimeoutMs: c.REQUEST_TIMEOUT_MS,
    probeTimeoutMs: c.PROBE_TIMEOUT_MS,
    peekEnabled: c.PEEK_ENABLED,
    peekAllowQuorum: c.PEEK_ALLOW_QUORUM,
    capturePath: null,
    prometheus: c.RABBITMQ_PROMETHEUS_URL.length > 0 ? { urls: c.RABBITMQ_PROMETHEUS_URL.map(withoutSlash) } : null,
    watch: c.WATCH_MODE,
  };
}

/** A secret is named, never written: `xEnv` (an environment variable) or `xFile` (a file's first line). */
const secretSource = { env: z.string().min(1).optional(), file: z.string().min(1).optional() };

const clusterFile = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, as it appears in URLs'),
    name: z.string().min(1).max(100).optional(),
    managementUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** An offline capture to open read-only instead of a broker (npm run capture, or the download button). */
    capture: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    usernameEnv: secretSource.env,
    passwordEnv: secretSource.env,
    passwordFile: secretSource.file,
    amqpUrlEnv: secretSource.env,
    amqpUrlFile: secretSource.file,
    tls: z
      .object({ caFile: z.string().optional(), certFile: z.string().optional(), keyFile: z.string().optional(), rejectUnauthorized: z.boolean().default(true) })
      .strict()
      .optional(),
    refreshIntervalMs: z.number().int().min(1000).max(600_000).optional(),
    topologyRefreshMs: z.number().int().min(1000).max(3_600_000).optional(),
    requestTimeoutMs: z.number().int().min(500).max(300_000).optional(),
    probeTimeoutMs: z.number().int().min(100).max(60_000).optional(),
    /** One URL per node of the cluster (each node's plugin reports the queues it hosts); `url` for one node. */
    prometheus: z
      .object({
        url: z.url({ protocol: /^https?$/ }).optional(),
        urls: z.array(z.url({ protocol: /^https?$/ })).min(1).optional(),
        /** No longer used: the plugin gives the counts whenever it answers. Accepted so that older files still load. */
        use: z.enum(['auto', 'always']).optional(),
      })
      .strict()
      .refine((p) => p.url !== undefined || p.urls !== undefined, 'say where the plugin is: url, or urls (one per node)')
      .optional(),
    watch: z.enum(WATCH_MODES).optional(),
    actions: z.object({ probe: z.boolean().default(false), peek: z.boolean().default(false), peekAllowQuorum: z.boolean().default(false) }).strict().default({ probe: false, peek: false, peekAllowQuorum: false }),
  })
  .strict();

const configFile = z
  .object({ clusters: z.array(z.unknown()).min(1, 'list at least one cluster') })
  .strict();

/** Keys that would put a secret into the file itself: refused with a pointer to the right one. */
const SECRET_KEYS: Record<string, string> = { password: 'passwordEnv or passwordFile', amqpUrl: 'amqpUrlEnv or amqpUrlFile' };

function clusterFromFile(raw: unknown, index: number, env: Env, readFile: ReadFile, defaults: ClusterConfig): ClusterConfig {
  const where = `clusters[${index}]`;
  for (const [key, instead] of Object.entries(SECRET_KEYS))
    if (raw && typeof raw === 'object' && key in raw) throw new Error(`${where}.${key}: secrets never go in the file; use ${instead}`);
  const parsed = clusterFile.safeParse(raw);
  if (!parsed.success) throw new Error(problems(parsed.error, where));
  const c = parsed.data;
  const named = `cluster ${c.id}`;
  if (c.capture !== undefined) {
    if (c.managementUrl !== undefined) throw new Error(`${named}: either a managementUrl or a capture, not both`);
    return {
      ...defaults,
      id: c.id,
      name: c.name ?? c.id,
      managementUrl: '',
      username: '',
      password: '',
      amqpUrl: null,
      tls: null,
      peekEnabled: false,
      peekAllowQuorum: false,
      capturePath: c.capture,
      prometheus: null,
    };
  }
  if (c.managementUrl === undefined) throw new Error(`${named}: say where its broker is (managementUrl) or which capture to open (capture)`);
  const secret = (name: string, envName: string | undefined, file: string | undefined): string | null => {
    if (envName !== undefined) {
      const v = env[envName];
      if (v === undefined) throw new Error(`${named}: ${name}Env names ${envName}, which is not set`);
      return v;
    }
    if (file !== undefined) {
      try {
        return readFile(file).split('\n')[0]!.trim();
      } catch (err) {
        throw new Error(`${named}: ${name}File ${file} cannot be read (${readFailure(err)})`);
      }
    }
    return null;
  };
  const fileContent = (what: string, path: string | undefined): Buffer | null => {
    if (path === undefined) return null;
    try {
      return Buffer.from(readFile(path));
    } catch (err) {
      throw new Error(`${named}: tls.${what} ${path} cannot be read (${readFailure(err)})`);
    }
  };
  const { url, username: urlUser, password: urlPassword } = splitCredentials(c.managementUrl);
  if (urlPassword !== null) throw new Error(`${named}: managementUrl carries a password; secrets never go in the file (use passwordEnv or passwordFile)`);
  const password = secret('password', c.passwordEnv, c.passwordFile);
  if (password === null) throw new Error(`${named}: say where its password is: passwordEnv or passwordFile`);
  const amqpUrl = secret('amqpUrl', c.amqpUrlEnv, c.amqpUrlFile);
  if (amqpUrl !== null && !/^amqps?:\/\//.test(amqpUrl)) throw new Error(`${named}: the AMQP URL must start with amqp:// or amqps://`);
  if (c.actions.probe && amqpUrl === null) throw new Error(`${named}: actions.probe needs an AMQP URL (amqpUrlEnv or amqpUrlFile)`);
  const refreshIntervalMs = c.refreshIntervalMs ?? defaults.refreshIntervalMs;
  return {
    id: c.id,
    name: c.name ?? c.id,
    managementUrl: url,
    username: (c.usernameEnv !== undefined ? secret('username', c.usernameEnv, undefined) : null) ?? c.username ?? urlUser ?? 'guest',
    password,
    amqpUrl: c.actions.probe ? amqpUrl : null,
    tls: c.tls
      ? { ca: fileContent('caFile', c.tls.caFile), cert: fileContent('certFile', c.tls.certFile), key: fileContent('keyFile', c.tls.keyFile), rejectUnauthorized: c.tls.rejectUnauthorized }
      : null,
    refreshIntervalMs,
    topologyIntervalMs: Math.max(c.topologyRefreshMs ?? defaults.topologyIntervalMs, refreshIntervalMs),
    requestTimeoutMs: c.requestTimeoutMs ?? defaults.requestTimeoutMs,
    probeTimeoutMs: c.probeTimeoutMs ?? defaults.probeTimeoutMs,
    peekEnabled: c.actions.peek,
    peekAllowQuorum: c.actions.peekAllowQuorum,
    capturePath: null,
    prometheus: c.prometheus ? { urls: [...(c.prometheus.url ? [c.prometheus.url] : []), ...(c.prometheus.urls ?? [])].map(withoutSlash) } : null,
    watch: c.watch ?? defaults.watch,
  };
}

function clustersFromFile(path: string, env: Env, readFile: ReadFile, defaults: ClusterConfig): ClusterConfig[] {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    throw new Error(`DASHBOARD_CONFIG ${path} cannot be read (${readFailure(err)})`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new Error(`DASHBOARD_CONFIG ${path} is neither YAML nor JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const file = configFile.safeParse(raw);
  if (!file.success) throw new Error(`DASHBOARD_CONFIG ${path}: ${problems(file.error)}`);
  try {
    const clusters = file.data.clusters.map((c, i) => clusterFromFile(c, i, env, readFile, defaults));
    const seen = new Set<string>();
    for (const c of clusters) {
      if (seen.has(c.id)) throw new Error(`two clusters have the id ${c.id}`);
      seen.add(c.id);
    }
    return clusters;
  } catch (err) {
    throw new Error(`DASHBOARD_CONFIG ${path}: ${(err as Error).message}`);
  }
}

export function parseConfig(env: Env, readFile: ReadFile = (p) => readFileSync(p, 'utf8')): Config {
  const result = schema.safeParse(env);
  if (!result.success) throw new Error(`invalid configuration: ${problems(result.error)}`);
  const c = result.data;
  const fromEnvironment = clusterFromEnvironment(c);
  let clusters: ClusterConfig[];
  try {
    clusters = c.DASHBOARD_CONFIG ? clustersFromFile(c.DASHBOARD_CONFIG, env, readFile, fromEnvironment) : [fromEnvironment];
  } catch (err) {
    throw new Error(`invalid configuration: ${(err as Error).message}`);
  }
  return {
    clusters,
    clustersFrom: c.DASHBOARD_CONFIG ?? 'the environment',
    port: c.PORT,
    historySamples: c.HISTORY_SAMPLES,
    store: c.HISTORY_STORE === 'off' ? null : { location: c.HISTORY_STORE },
    findings: {
      windowMs: c.FINDINGS_WINDOW_MS,
      backlogGrowth: c.FINDINGS_BACKLOG_GROWTH,
      notificationMessages: c.FINDINGS_NOTIFICATION_MESSAGES,
      graceMs: c.FINDINGS_GRACE_MS,
      settleMs: c.FINDINGS_SETTLE_MS,
      backlogMessages: c.FINDINGS_BACKLOG_MESSAGES,
      heldMs: c.FINDINGS_HELD_MS,
    },
    auth: authConfig(c),
    metricsToken: c.METRICS_TOKEN ?? null,
  };
}
