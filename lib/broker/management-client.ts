import 'server-only';
// The management HTTP API, read-only but for "get messages" in its requeueing mode (see
// getMessages). Credentials stay in this module's axios instance.
import https from 'node:https';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import type { z } from 'zod';
import { COLUMNS } from './columns';
import { BrokerError } from './errors';
import { retryIfClosedWhileIdle } from './idle-close';
import { type BrokerTls, tlsOptions } from './tls';
import {
  bindingResponse,
  channelResponse,
  connectionResponse,
  consumerResponse,
  deprecatedFeatureResponse,
  exchangeResponse,
  getMessageResponse,
  nodeResponse,
  overviewHistoryResponse,
  overviewResponse,
  pagedResponse,
  namedResponse,
  queueConsumersResponse,
  queueHistoryResponse,
  queueResponse,
  queueTypeResponse,
  vhostResponse,
  policyResponse,
  whoamiResponse,
} from './schemas';

export interface ManagementClientOptions {
  baseUrl: string;
  username: string;
  password: string;
  timeoutMs: number;
  /** https: a private CA, a client certificate. */
  tls?: BrokerTls | null;
  /** The queue lists: in one request until one times out, then in pages (`auto`), or always in pages. */
  queuePaging?: 'auto' | 'always';
}

/** The management API caps page_size at 500. */
const PAGE_SIZE = 500;
/** Pages fetched at once after the first. */
const PAGE_CONCURRENCY = 4;
/** Seconds of broker-kept history asked for on the overview and queue pages. */
const HISTORY_AGE_S = 600;
const HISTORY_INCR_S = 10;
const HISTORY_PARAMS = {
  lengths_age: HISTORY_AGE_S,
  lengths_incr: HISTORY_INCR_S,
  msg_rates_age: HISTORY_AGE_S,
  msg_rates_incr: HISTORY_INCR_S,
};

type Params = Record<string, string | number | boolean>;

/** The only ackmode ever sent: take and requeue. Never ack_requeue_false / reject_requeue_false, which destroy. */
export const REQUEUE_ACKMODE = 'ack_requeue_true' as const;
/** Bytes of each body the broker sends back at most. */
export const GET_TRUNCATE_BYTES = 50_000;

export function encodeSegment(s: string): string {
  return encodeURIComponent(s);
}

export class ManagementClient {
  private readonly http: AxiosInstance;
  private readonly timeoutMs: number;
  /** Queue lists read in pages since one of them timed out whole (or always, if configured so). */
  private readonly pagedLists = new Set<string>();
  private readonly queuePaging: 'auto' | 'always';
  /** The TLS settings of this broker, for its other endpoints (the Prometheus plugin). */
  readonly httpsAgent: https.Agent | undefined;
  /** Requests sent again because the server had closed the idle connection they went out on (RabbitMQ 4). */
  resentAfterIdleClose = 0;

  constructor(options: ManagementClientOptions) {
    this.timeoutMs = options.timeoutMs;
    this.queuePaging = options.queuePaging ?? 'auto';
    this.httpsAgent = options.tls ? new https.Agent(tlsOptions(options.tls)) : undefined;
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      auth: { username: options.username, password: options.password },
      timeout: options.timeoutMs,
      headers: { Accept: 'application/json' },
      // Answers are checked by schema, not trusted by type; large brokers answer megabytes.
      maxContentLength: 512 * 1024 * 1024,
      transitional: { clarifyTimeoutError: true },
      httpsAgent: this.httpsAgent,
    });
  }

  get<S extends z.ZodType>(path: string, schema: S, params: Params = {}): Promise<z.infer<S>> {
    return this.request(describeRequest(path, params), schema, () =>
      retryIfClosedWhileIdle((config) => this.http.get(path, { ...config, params, responseType: 'json' }), this.httpsAgent, () => this.resentAfterIdleClose++),
    );
  }

  /** A POST whose answer is read like a GET's (only getMessages uses it). */
  post<S extends z.ZodType>(path: string, body: Record<string, unknown>, schema: S): Promise<z.infer<S>> {
    return this.request(`POST ${path}`, schema, () =>
      this.http.post(path, body, { responseType: 'json', headers: { 'Content-Type': 'application/json' } }),
    );
  }

  /** Sends, then checks the answer against its schema: every failure becomes a BrokerError naming the request. */
  private async request<S extends z.ZodType>(request: string, schema: S, send: () => Promise<{ data: unknown }>): Promise<z.infer<S>> {
    let data: unknown;
    try {
      data = (await send()).data;
    } catch (err) {
      throw toBrokerError(err, request, this.timeoutMs);
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      throw new BrokerError('invalid-answer', request, `unexpected answer from ${request}${where}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  }

  /** A paginating list endpoint: the first page tells how many there are, the rest come in parallel. */
  async getAllPages<S extends z.ZodType>(path: string, item: S, params: Params = {}): Promise<z.infer<S>[]> {
    const schema = pagedResponse(item);
    const first = await this.get(path, schema, { ...params, page: 1, page_size: PAGE_SIZE });
    const items: z.infer<S>[] = [...first.items];
    const rest: number[] = [];
    for (let p = 2; p <= first.page_count; p++) rest.push(p);
    for (let i = 0; i < rest.length; i += PAGE_CONCURRENCY) {
      const pages = await Promise.all(
        rest.slice(i, i + PAGE_CONCURRENCY).map((page) => this.get(path, schema, { ...params, page, page_size: PAGE_SIZE })),
      );
      for (const page of pages) items.push(...page.items);
    }
    return items;
  }

  overview() {
    return this.get('/api/overview', overviewResponse);
  }

  whoami() {
    return this.get('/api/whoami', whoamiResponse);
  }

  overviewHistory() {
    return this.get('/api/overview', overviewHistoryResponse, {
      columns: 'queue_totals,message_stats',
      ...HISTORY_PARAMS,
    });
  }

  nodes() {
    return this.get('/api/nodes', nodeResponse.array(), { columns: COLUMNS.nodes.join(',') });
  }

  vhosts() {
    return this.get('/api/vhosts', vhostResponse.array(), { columns: COLUMNS.vhosts.join(',') });
  }

  /** What this broker does that a coming version removes (3.13+; 404 before). */
  deprecatedFeaturesUsed() {
    return this.get('/api/deprecated-features/used', deprecatedFeatureResponse.array());
  }

  /** Every policy (operator policies apart) in the vhosts this user may see; a monitoring user may list them. */
  policies() {
    return this.get('/api/policies', policyResponse.array());
  }

  exchanges() {
    return this.getAllPages('/api/exchanges', exchangeResponse, { columns: COLUMNS.exchanges.join(',') });
  }

  /**
   * A queue list in one request: the broker gathers and sorts every queue for each page, so at
   * 12k queues 25 pages took 24–27 s where one request took 9–14 s (docs/performance.md). But a
   * single request is cut at the broker's 60 s and at the client's own timeout: once one times out,
   * that list is read in pages of 500 from then on, each of which stays well short of either.
   */
  private async queueList<S extends z.ZodType>(item: S, params: Params): Promise<z.infer<S>[]> {
    const key = String(params.columns);
    if (this.queuePaging === 'always' || this.pagedLists.has(key)) return this.getAllPages('/api/queues', item, params);
    try {
      return await this.get('/api/queues', item.array(), params);
    } catch (err) {
      if (!(err instanceof BrokerError && err.kind === 'timeout')) throw err;
      console.warn(`[management] ${err.request} took longer than ${this.timeoutMs} ms whole: reading it in pages of ${PAGE_SIZE} from now on`);
      this.pagedLists.add(key);
      return this.getAllPages('/api/queues', item, params);
    }
  }

  /** Whether the queue lists are read in pages now (after a timeout, or by configuration). */
  get queuesPaged(): boolean {
    return this.queuePaging === 'always' || this.pagedLists.size > 0;
  }

  /** Metadata only (`disable_stats`): the cheapest listing the broker has (1.4 s whole at 12k queues). */
  queueMetadata() {
    return this.queueList(queueResponse, { columns: COLUMNS.queueMetadata.join(','), disable_stats: true });
  }

  queueCounts() {
    return this.queueList(queueResponse, { columns: COLUMNS.queueCounts.join(',') });
  }

  queueHistory(vhost: string, name: string) {
    return this.get(`/api/queues/${encodeSegment(vhost)}/${encodeSegment(name)}`, queueHistoryResponse, {
      columns: 'messages_ready_details,messages_unacknowledged_details,message_stats',
      ...HISTORY_PARAMS,
    });
  }

  /** Who consumes one queue now (404 → BrokerError 'not-found'). */
  queueConsumers(vhost: string, name: string) {
    return this.get(`/api/queues/${encodeSegment(vhost)}/${encodeSegment(name)}`, queueConsumersResponse, { columns: 'consumer_details' });
  }

  /**
   * Whether this user may use a vhost. /api/vhosts lists every vhost to a user with the monitoring
   * tag; an exchange of it (every vhost has amq.direct) is answered only where the user has permissions.
   */
  async mayUseVhost(vhost: string): Promise<boolean> {
    try {
      await this.get(`/api/exchanges/${encodeSegment(vhost)}/amq.direct`, namedResponse, { columns: 'name' });
      return true;
    } catch (err) {
      if (err instanceof BrokerError && (err.kind === 'unauthorized' || err.kind === 'forbidden' || err.kind === 'not-found')) return false;
      throw err;
    }
  }

  /** One connection (404 → BrokerError 'not-found': it closed). */
  connection(name: string) {
    return this.get(`/api/connections/${encodeSegment(name)}`, connectionResponse, { columns: COLUMNS.connections.join(',') });
  }

  /** One queue's type and length (404 → BrokerError 'not-found'). */
  queue(vhost: string, name: string) {
    return this.get(`/api/queues/${encodeSegment(vhost)}/${encodeSegment(name)}`, queueTypeResponse, { columns: 'vhost,name,type,arguments,messages' });
  }

  /**
   * The first `count` messages of a queue, each taken and put back (`ack_requeue_true`): they stay
   * in the queue, in order, marked redelivered. The ackmode is a constant: the destructive modes
   * (ack_requeue_false, reject_requeue_false) cannot be asked for through this client.
   */
  getMessages(vhost: string, name: string, count: number, truncate: number = GET_TRUNCATE_BYTES) {
    return this.post(
      `/api/queues/${encodeSegment(vhost)}/${encodeSegment(name)}/get`,
      { count, ackmode: REQUEUE_ACKMODE, encoding: 'auto', truncate },
      getMessageResponse.array(),
    );
  }

  /** Not paginated by the broker: one request. */
  bindings() {
    return this.get('/api/bindings', bindingResponse.array(), { columns: COLUMNS.bindings.join(',') });
  }

  /** Not paginated by the broker: one request. */
  consumers() {
    return this.get('/api/consumers', consumerResponse.array(), { columns: COLUMNS.consumers.join(',') });
  }

  connections() {
    return this.getAllPages('/api/connections', connectionResponse, { columns: COLUMNS.connections.join(',') });
  }

  channels() {
    return this.getAllPages('/api/channels', channelResponse, { columns: COLUMNS.channels.join(',') });
  }
}

function describeRequest(path: string, params: Params): string {
  const shown = Object.entries(params)
    .filter(([k]) => k !== 'columns')
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return shown ? `GET ${path}?${shown}` : `GET ${path}`;
}

function toBrokerError(err: unknown, request: string, timeoutMs: number): BrokerError {
  if (!isAxiosError(err)) return new BrokerError('unreachable', request, `${request} failed: ${String(err)}`);
  const status = err.response?.status ?? null;
  const reason = typeof err.response?.data === 'object' && err.response?.data && 'reason' in err.response.data
    ? `: ${String((err.response.data as { reason: unknown }).reason)}`
    : '';
  // A user without the monitoring tag is answered 401 "Not monitor user" on nodes: a part it may not see, not bad credentials.
  if (status === 401 && /not (monitor|management|administrator|policymaker) user/i.test(reason))
    return new BrokerError('forbidden', request, `the user may not read ${request} (401${reason}): its tags do not allow it`, status);
  if (status === 401) return new BrokerError('unauthorized', request, `the broker refused the credentials (401) on ${request}${reason}`, status);
  if (status === 403)
    return new BrokerError('forbidden', request, `the user may not read ${request} (403): it needs the monitoring tag`, status);
  if (status === 404) return new BrokerError('not-found', request, `${request}: not found (404)`, status);
  if (status !== null && status >= 200 && status < 300)
    return new BrokerError('invalid-answer', request, `the management API's answer to ${request} broke off or could not be read (${err.code ?? err.message})`, status);
  if (status !== null) {
    return new BrokerError('http', request, `the management API answered ${status} on ${request}${reason}`, status);
  }
  if (err.code === 'ETIMEDOUT' || err.code === 'ECONNABORTED')
    return new BrokerError('timeout', request, `the management API did not answer ${request} in ${timeoutMs} ms`);
  if (err.code === 'ERR_BAD_RESPONSE' || err instanceof SyntaxError)
    return new BrokerError('invalid-answer', request, `the management API sent an unreadable answer to ${request}`);
  return new BrokerError('unreachable', request, `cannot reach the management API (${err.code ?? err.message}) for ${request}`);
}
