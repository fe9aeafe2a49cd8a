import 'server-only';
// What every API route does around its few lines of logic, in one place: who is asking,
// which cluster, the query checked, the cluster's current state, the answer as JSON, and
// every failure through the one table of lib/server/errors.ts. Routes that touch messages
// (the RPC ping, reading a backlog) also refuse cross-site requests, take only a JSON body
// and log one line saying who asked for what and what came of it.
import { NextResponse } from 'next/server';
import type { z } from 'zod';
import type { ApiError, SnapshotStatus } from '@/lib/api/schemas';
import type { ClusterState } from '@/lib/domain/state';
import { type Actions, logValue } from './actions';
import type { Principal } from './auth';
import { type Cluster, type ClusterView, stateOrNull } from './cluster';
import type { ViewMemory } from './clusters';
import { ApiFailure, classify, type ErrorKind, httpStatusOf } from './errors';
import { parseQuery, type QuerySchema } from './params';
import { root } from './root';

export { logValue };

export function json<T>(body: T, init?: ResponseInit): NextResponse<T> {
  return NextResponse.json(body, { ...init, headers: { 'Cache-Control': 'no-store', ...init?.headers } });
}

/** A failure as the API answers it. */
export function failure(kind: ErrorKind, error: string, status: SnapshotStatus | null, extra?: { signIn?: boolean; headers?: Record<string, string> }): NextResponse<ApiError> {
  return json<ApiError>({ error, status, ...(extra?.signIn ? { signIn: true } : {}) }, { status: httpStatusOf(kind), headers: extra?.headers });
}

/** The principal; a refusal otherwise (the request proxy has already checked: this is the second lock). */
function principalOf(req: Request): Principal | NextResponse<ApiError> {
  const auth = root().gate.authenticateRequest(req);
  return auth.ok ? auth.principal : failure(auth.kind, auth.error, null, { signIn: auth.signIn });
}

type Segments<K extends string> = { params: Promise<Record<K, string>> };
type Handler<K extends string> = (req: Request, ctx: Segments<K>) => Promise<Response>;

function respond(body: unknown): Response {
  return body instanceof Response ? body : json(body);
}

/** A cluster in the list of clusters, as the operator asking may see it. */
export interface ListedCluster extends ClusterView {
  /** Its latest state, waiting for the first; null while its source could never be read. */
  state(): Promise<ClusterState | null>;
  /** Once it can say what it is: a capture says its time and broker once its file is read (that costs nothing after the first time). */
  identified(): Promise<void>;
}

/** A route about no one cluster (the list of clusters): it is handed every cluster as this principal may see it. */
export function apiRoute<S extends QuerySchema>(
  query: S,
  handler: (ctx: { principal: Principal; query: z.infer<S>; clusters: readonly ListedCluster[] }) => unknown,
): (req: Request) => Promise<Response> {
  return async (req) => {
    const principal = principalOf(req);
    if (principal instanceof Response) return principal;
    try {
      const { clusters } = root();
      const listed = clusters
        .ids()
        .map((id) => clusters.get(id, principal))
        .filter((c): c is Cluster => c !== null)
        .map((c) => ({ ...viewOf(c), state: () => stateOrNull(c), identified: async () => void (c.live ? null : await stateOrNull(c)) }));
      return respond(await handler({ principal, query: parseQuery(query, req.url), clusters: listed }));
    } catch (err) {
      const { kind, message } = classify(err, new URL(req.url).pathname);
      return failure(kind, message, null);
    }
  };
}

export interface ClusterRequest<Q, K extends string> {
  principal: Principal;
  cluster: ClusterView;
  /** The cluster's latest state, as this principal sees the broker. */
  state: ClusterState;
  status: SnapshotStatus;
  query: Q;
  /** The path's segments, decoded. */
  params: Record<K, string>;
  /** What the store remembers, narrowed to what this principal may see. */
  memory(): Promise<ViewMemory>;
}

/** The cluster named in the path, as this principal may see it; ApiFailure 'not-found' otherwise. */
function clusterOf(id: string, principal: Principal): Cluster {
  const cluster = root().clusters.get(id, principal);
  if (!cluster) throw new ApiFailure('not-found', `no cluster named "${id}"`);
  return cluster;
}

/** What a route may know of a cluster: not its source, its refreshes or its store. */
function viewOf(c: Cluster): ClusterView {
  return {
    id: c.id,
    name: c.name,
    actions: c.actions,
    managementUrl: () => c.managementUrl(),
    capturedAt: () => c.capturedAt(),
    now: () => c.now(),
    status: () => c.status(),
    queueHistory: (vhost, name) => c.queueHistory(vhost, name),
  };
}

/**
 * A route that reads one cluster's state. `segments` names the path's parameters besides
 * `cluster`; the handler returns the answer's body (or a Response of its own).
 */
export function clusterRoute<S extends QuerySchema, K extends string = never>(
  options: { query: S; segments?: readonly K[] },
  handler: (ctx: ClusterRequest<z.infer<S>, K>) => unknown,
): Handler<K | 'cluster'> {
  return inCluster(options.query, async ({ principal, cluster, query, params }) => {
    const state = await cluster.read();
    const memory = () => root().clusters.memory(cluster.id, principal);
    return handler({ principal, cluster: viewOf(cluster), state, status: cluster.status(), query, params, memory });
  });
}

/**
 * What every route about one cluster does around its handler: the principal, the cluster this
 * principal may see, the query checked, the answer as JSON, and every failure through one table.
 */
function inCluster<S extends QuerySchema, K extends string>(
  schema: S,
  handler: (ctx: { principal: Principal; cluster: Cluster; query: z.infer<S>; params: Record<K | 'cluster', string> }) => unknown,
): Handler<K | 'cluster'> {
  return async (req, ctx) => {
    const principal = principalOf(req);
    if (principal instanceof Response) return principal;
    const params = await ctx.params;
    let cluster: Cluster | null = null;
    try {
      cluster = clusterOf(params.cluster, principal);
      return respond(await handler({ principal, cluster, query: parseQuery(schema, req.url), params }));
    } catch (err) {
      const { kind, message } = classify(err, new URL(req.url).pathname);
      return failure(kind, message, cluster?.status() ?? null);
    }
  };
}

export interface StoreRequest<Q> {
  cluster: ClusterView;
  /** What the store remembers, narrowed to what this principal may see. */
  memory: ViewMemory;
  query: Q;
}

/**
 * A route that reads what the store remembers of a cluster. It answers whether the broker is
 * reachable or not: history is what an operator needs most when it is not.
 */
export function storeRoute<S extends QuerySchema>(options: { query: S }, handler: (ctx: StoreRequest<z.infer<S>>) => unknown): Handler<'cluster'> {
  return inCluster(options.query, async ({ principal, cluster, query }) => {
    // A capture's memory is in its file: read it first.
    if (!cluster.live) await cluster.read();
    return handler({ cluster: viewOf(cluster), memory: await root().clusters.memory(cluster.id, principal), query });
  });
}

/** What an action handler answers, and what came of it for the log line (e.g. "alive 12 ms"). */
export interface ActionOutcome<T> {
  body: T;
  result: string;
}

/**
 * A route that reads or writes messages on the broker, handed only the cluster's actions. One log
 * line per request: `[action] <who> <what> → <result>`, refusals included.
 */
export function actionRoute<K extends string = never>(
  action: string,
  options: { segments?: readonly K[] },
  handler: (ctx: { actions: Actions; params: Record<K, string>; body: unknown; describe: (what: string) => void }) => Promise<ActionOutcome<unknown>>,
): Handler<K | 'cluster'> {
  return async (req, ctx) => {
    const auth = root().gate.authenticateRequest(req);
    if (!auth.ok) {
      logAction(`[${action}] refused ${httpStatusOf(auth.kind)}: not signed in or not allowed`);
      return failure(auth.kind, auth.error, null, { signIn: auth.signIn });
    }
    const { principal } = auth;
    const params = await ctx.params;
    let what = '';
    const log = (result: string) => logAction(`[${action}] ${describePrincipal(principal)}${what ? ` ${what}` : ''} → ${result}`);
    let cluster: Cluster | null = null;
    try {
      cluster = clusterOf(params.cluster, principal);
      checkSameOrigin(req);
      const body = await readJsonBody(req);
      const outcome = await handler({ actions: cluster.actions, params, body, describe: (w) => (what = w) });
      log(outcome.result);
      return respond(outcome.body);
    } catch (err) {
      const { kind, message } = classify(err, action);
      const code = httpStatusOf(kind);
      log(`${code < 500 ? 'refused' : 'failed'} ${code}${kind === 'internal' ? '' : `: ${message}`}`);
      return failure(kind, message, cluster?.status() ?? null);
    }
  };
}

/** GET /metrics: every live cluster as the configured user reads it, behind METRICS_TOKEN. */
export async function scrapeMetrics(req: Request): Promise<Response> {
  const { gate, clusters, metrics, store } = root();
  const refusal = gate.metricsAccess(req.headers);
  if (refusal) return new Response(`${refusal.error}\n`, { status: httpStatusOf(refusal.kind), headers: { 'content-type': 'text/plain; charset=utf-8' } });
  // An opened capture is not a live broker: nothing of it belongs in a time series.
  const live = clusters
    .ids()
    .map((id) => clusters.get(id))
    .filter((c): c is Cluster => c !== null && c.live);
  const readings = await Promise.all(live.map(async (c) => ({ id: c.id, state: await stateOrNull(c), status: c.status() })));
  const { contentType, body } = await metrics.render(readings, store?.status() ?? null);
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}

// ---------------------------------------------------------------- request checks and logging

/** Bodies are a few fields; anything larger is refused before it is parsed. */
const MAX_BODY_BYTES = 16 * 1024;

/** The host a request was addressed to, as the browser saw it (behind a proxy: X-Forwarded-Host). */
function ownHosts(req: Request): string[] {
  const hosts = [req.headers.get('host'), req.headers.get('x-forwarded-host')?.split(',')[0]?.trim()];
  try {
    hosts.push(new URL(req.url).host);
  } catch {
    // a relative URL: only the headers count
  }
  return hosts.filter((h): h is string => !!h).map((h) => h.toLowerCase());
}

/**
 * Cross-site protection. A browser sends `Origin` with every POST; one that names another site
 * (or `null`, from a sandboxed page) is refused. A JSON content type cannot be sent cross-site
 * without a CORS preflight, which this server never grants, so requiring it stops plain HTML forms.
 */
export function checkSameOrigin(req: Request): void {
  const origin = req.headers.get('origin');
  if (origin !== null) {
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      originHost = null;
    }
    if (!originHost || !ownHosts(req).includes(originHost)) {
      throw new ApiFailure('cross-site', `cross-site request refused: Origin ${origin} is not this dashboard`);
    }
  }
  if (req.headers.get('sec-fetch-site') === 'cross-site') throw new ApiFailure('cross-site', 'cross-site request refused');
  const type = (req.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new ApiFailure('unsupported-media-type', 'the body must be JSON, sent with Content-Type: application/json');
}

/** The JSON body; an empty body is `{}`. */
export async function readJsonBody(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) throw new ApiFailure('too-large', `the body is larger than ${MAX_BODY_BYTES} bytes`);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiFailure('bad-parameters', 'the body is not valid JSON');
  }
}

/** "alice from 10.0.0.7", or just where from without authentication: who did it, for log lines. */
export function describePrincipal(p: Principal): string {
  return p.user === null ? `from ${p.address}` : `${logValue(p.user)} from ${p.address}`;
}

/** One line in the server log about something an operator did (an action, signing in or out). */
export function logAction(line: string): void {
  console.info(line);
}
