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
import type { Remembered } from '@/lib/store/remembered';
import { authenticateRequest, type Principal } from './auth';
import type { Cluster } from './cluster';
import { getCluster } from './clusters';
import { ApiFailure, classify, type ErrorKind, httpStatusOf } from './errors';
import { parseQuery, type QuerySchema } from './params';
import { STORE_OFF } from './remembered';
import { historyStore } from './store';

export function json<T>(body: T, init?: ResponseInit): NextResponse<T> {
  return NextResponse.json(body, { ...init, headers: { 'Cache-Control': 'no-store', ...init?.headers } });
}

/** A failure as the API answers it. */
export function failure(kind: ErrorKind, error: string, status: SnapshotStatus | null, extra?: { signIn?: boolean; headers?: Record<string, string> }): NextResponse<ApiError> {
  return json<ApiError>({ error, status, ...(extra?.signIn ? { signIn: true } : {}) }, { status: httpStatusOf(kind), headers: extra?.headers });
}

/** The principal; a refusal otherwise (the request proxy has already checked: this is the second lock). */
function principalOf(req: Request): Principal | NextResponse<ApiError> {
  const auth = authenticateRequest(req);
  return auth.ok ? auth.principal : failure(auth.kind, auth.error, null, { signIn: auth.signIn });
}

type Segments<K extends string> = { params: Promise<Record<K, string>> };
type Handler<K extends string> = (req: Request, ctx: Segments<K>) => Promise<Response>;

function respond(body: unknown): Response {
  return body instanceof Response ? body : json(body);
}

/** A route about no one cluster (the list of clusters). */
export function apiRoute<S extends QuerySchema>(query: S, handler: (ctx: { principal: Principal; query: z.infer<S> }) => unknown): (req: Request) => Promise<Response> {
  return async (req) => {
    const principal = principalOf(req);
    if (principal instanceof Response) return principal;
    try {
      return respond(await handler({ principal, query: parseQuery(query, req.url) }));
    } catch (err) {
      const { kind, message } = classify(err, new URL(req.url).pathname);
      return failure(kind, message, null);
    }
  };
}

export interface ClusterRequest<Q, K extends string> {
  principal: Principal;
  cluster: Cluster;
  /** The cluster's latest state. */
  state: ClusterState;
  status: SnapshotStatus;
  query: Q;
  /** The path's segments, decoded. */
  params: Record<K, string>;
}

/** The cluster named in the path, as this principal may see it; ApiFailure 'not-found' otherwise. */
function clusterOf(id: string, principal: Principal): Cluster {
  const cluster = getCluster(id, principal);
  if (!cluster) throw new ApiFailure('not-found', `no cluster named "${id}"`);
  return cluster;
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
    return handler({ principal, cluster, state, status: cluster.status(), query, params });
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
  cluster: Cluster;
  /** The store; an offline capture's own range of it; null when history is off (HISTORY_STORE=off) or the capture carries none. */
  store: Remembered | null;
  /** Why `store` is null. */
  offReason: string;
  query: Q;
  /**
   * Whether this principal may see what concerns a vhost. The store holds what the configured
   * user saw; a signed-in operator sees in it only the vhosts their own view of the broker holds.
   */
  maySee: (vhost: string | null) => boolean;
}

/**
 * A route that reads what the store remembers of a cluster. It answers whether the broker is
 * reachable or not: history is what an operator needs most when it is not.
 */
export function storeRoute<S extends QuerySchema>(options: { query: S }, handler: (ctx: StoreRequest<z.infer<S>>) => unknown): Handler<'cluster'> {
  return inCluster(options.query, async ({ principal, cluster, query }) => {
    let maySee: (vhost: string | null) => boolean = () => true;
    if (principal.credentials) {
      const state = cluster.latest() ?? (await cluster.read().catch(() => null));
      const vhosts = new Set(state?.topology.vhosts ?? []);
      maySee = (vhost) => vhost === null || vhosts.has(vhost);
    }
    if (cluster.source.kind === 'capture') {
      await cluster.read();
      const remembered = cluster.source.remembered();
      return handler({ cluster, store: remembered, offReason: 'this capture carries no history: it was taken where the dashboard kept none', query, maySee });
    }
    return handler({ cluster, store: historyStore(), offReason: STORE_OFF, query, maySee });
  });
}

/** What an action handler answers, and what came of it for the log line (e.g. "alive 12 ms"). */
export interface ActionOutcome<T> {
  body: T;
  result: string;
}

/**
 * A route that reads or writes messages on the broker. One log line per request:
 * `[action] <who> <what> → <result>`, refusals included.
 */
export function actionRoute<K extends string = never>(
  action: string,
  options: { segments?: readonly K[] },
  handler: (ctx: { principal: Principal; cluster: Cluster; params: Record<K, string>; body: unknown; describe: (what: string) => void }) => Promise<ActionOutcome<unknown>>,
): Handler<K | 'cluster'> {
  return async (req, ctx) => {
    const auth = authenticateRequest(req);
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
      const outcome = await handler({ principal, cluster, params, body, describe: (w) => (what = w) });
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

/** Quotes a value for a log line only when it needs it, so names with spaces stay one field. */
export function logValue(v: string): string {
  return /^[\w./@#:%+-]+$/.test(v) ? v : JSON.stringify(v);
}

/** "alice from 10.0.0.7", or just where from without authentication: who did it, for log lines. */
export function describePrincipal(p: Principal): string {
  return p.user === null ? `from ${p.address}` : `${logValue(p.user)} from ${p.address}`;
}

/** One line in the server log about something an operator did (an action, signing in or out). */
export function logAction(line: string): void {
  console.info(line);
}
