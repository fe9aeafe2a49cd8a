import 'server-only';
// Configuration from the environment, read and checked once.
import { isIP } from 'node:net';
import { z } from 'zod';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  RABBITMQ_MANAGEMENT_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:15672'),
  RABBITMQ_USERNAME: z.string().min(1).default('guest'),
  RABBITMQ_PASSWORD: z.string().default('guest'),
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  /** How often the shared snapshot of the broker is refreshed. */
  REFRESH_INTERVAL_MS: z.coerce.number().int().min(1000).max(600_000).default(5000),
  /** How often exchanges, bindings and queue metadata are re-read: they change slowly and cost the most. */
  TOPOLOGY_REFRESH_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** How long one management API request may take. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(500).max(300_000).default(60_000),
  /** Samples of history kept per series (at the refresh interval). */
  HISTORY_SAMPLES: z.coerce.number().int().min(10).max(10_000).default(120),
  /** AMQP access for the RPC ping; without it the ping is not configured. Needs a user that may declare a queue and publish. */
  RABBITMQ_AMQP_URL: z.url({ protocol: /^amqps?$/ }).optional(),
  PROBE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Reading messages of a backlog requeues them: off unless enabled. */
  PEEK_ENABLED: flag,
  /** On quorum queues each requeue counts towards the delivery limit: refused unless allowed too. */
  PEEK_ALLOW_QUORUM: flag,
  FINDINGS_WINDOW_MS: z.coerce.number().int().min(5_000).max(3_600_000).default(60_000),
  FINDINGS_BACKLOG_GROWTH: z.coerce.number().int().min(1).default(10),
  FINDINGS_NOTIFICATION_MESSAGES: z.coerce.number().int().min(1).default(1),
  FINDINGS_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
  /**
   * none: no login; the server listens on 127.0.0.1 only. login: operators sign in with their
   * RabbitMQ user and the broker is read as them. proxy: an authenticating proxy names the user.
   */
  AUTH_MODE: z.enum(['none', 'login', 'proxy']).default('none'),
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

export interface Config {
  managementUrl: string;
  username: string;
  password: string;
  port: number;
  refreshIntervalMs: number;
  topologyIntervalMs: number;
  requestTimeoutMs: number;
  historySamples: number;
  /** Contains credentials: server only, never shown. */
  amqpUrl: string | null;
  probeTimeoutMs: number;
  peekEnabled: boolean;
  peekAllowQuorum: boolean;
  findings: { windowMs: number; backlogGrowth: number; notificationMessages: number; graceMs: number };
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

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const c = result.data;
  const url = new URL(c.RABBITMQ_MANAGEMENT_URL);
  // Credentials belong in RABBITMQ_USERNAME/PASSWORD; never keep them in a URL that may be shown.
  const username = url.username ? decodeURIComponent(url.username) : c.RABBITMQ_USERNAME;
  const password = url.password ? decodeURIComponent(url.password) : c.RABBITMQ_PASSWORD;
  url.username = '';
  url.password = '';
  return {
    managementUrl: url.toString().replace(/\/+$/, ''),
    username,
    password,
    port: c.PORT,
    refreshIntervalMs: c.REFRESH_INTERVAL_MS,
    topologyIntervalMs: Math.max(c.TOPOLOGY_REFRESH_MS, c.REFRESH_INTERVAL_MS),
    requestTimeoutMs: c.REQUEST_TIMEOUT_MS,
    historySamples: c.HISTORY_SAMPLES,
    amqpUrl: c.RABBITMQ_AMQP_URL ?? null,
    probeTimeoutMs: c.PROBE_TIMEOUT_MS,
    peekEnabled: c.PEEK_ENABLED,
    peekAllowQuorum: c.PEEK_ALLOW_QUORUM,
    findings: {
      windowMs: c.FINDINGS_WINDOW_MS,
      backlogGrowth: c.FINDINGS_BACKLOG_GROWTH,
      notificationMessages: c.FINDINGS_NOTIFICATION_MESSAGES,
      graceMs: c.FINDINGS_GRACE_MS,
    },
    auth: authConfig(c),
    metricsToken: c.METRICS_TOKEN ?? null,
  };
}

let config: Config | undefined;
export function getConfig(): Config {
  config ??= parseConfig(process.env);
  return config;
}
