import 'server-only';
// What every route that touches messages does around its logic (the RPC ping, reading a
// backlog): refuse cross-site requests, take only a JSON body, answer errors as JSON, and
// log one line per action saying who asked for what and what came of it.
import type { NextResponse } from 'next/server';
import type { ApiError } from '@/lib/api/contract';
import { BrokerError } from '@/lib/broker/errors';
import type { Principal } from './auth';
import { type Cluster, getCluster } from './clusters';
import { HttpError, json, requirePrincipal } from './http';
import { NoSnapshotError } from './snapshot';

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
 * Throws HttpError 403/415.
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
      throw new HttpError(403, `cross-site request refused: Origin ${origin} is not this dashboard`);
    }
  }
  if (req.headers.get('sec-fetch-site') === 'cross-site') throw new HttpError(403, 'cross-site request refused');
  const type = (req.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, 'the body must be JSON, sent with Content-Type: application/json');
}

/** The JSON body, or HttpError 400. An empty body is `{}`. */
export async function readJsonBody(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
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

export type ActionLogger = (line: string) => void;
let logger: ActionLogger = (line) => console.info(line);
/** Tests hand in their own. */
export function setActionLogger(l: ActionLogger): void {
  logger = l;
}
/** One line in the server log about something an operator did (an action, signing in or out). */
export function logAction(line: string): void {
  logger(line);
}

export interface ActionOutcome<T> {
  body: T;
  /** What came of it, for the log line (e.g. "alive 12 ms"). */
  result: string;
}

/**
 * Runs a message-touching action: cluster lookup, cross-site checks, JSON body, the handler,
 * errors as JSON, and one log line `[action] <who> <what> → <result>`.
 */
export async function runAction<T>(
  req: Request,
  clusterId: string,
  action: string,
  handler: (ctx: { cluster: Cluster; principal: Principal; body: unknown; describe: (what: string) => void }) => Promise<ActionOutcome<T>>,
): Promise<NextResponse> {
  const auth = requirePrincipal(req);
  if ('refusal' in auth) {
    logger(`[${action}] refused ${auth.refusal.status}: not signed in or not allowed`);
    return auth.refusal;
  }
  const { principal } = auth;
  let what = '';
  const log = (result: string) => logger(`[${action}] ${describePrincipal(principal)}${what ? ` ${what}` : ''} → ${result}`);
  const cluster = getCluster(clusterId, principal);
  if (!cluster) {
    log(`refused 404: no cluster ${logValue(clusterId)}`);
    return json<ApiError>({ error: `no cluster named "${clusterId}"`, status: null }, { status: 404 });
  }
  try {
    checkSameOrigin(req);
    const body = await readJsonBody(req);
    const outcome = await handler({ cluster, principal, body, describe: (w) => (what = w) });
    log(outcome.result);
    return json(outcome.body);
  } catch (err) {
    if (err instanceof HttpError) {
      log(`refused ${err.httpStatus}: ${err.message}`);
      return json<ApiError>({ error: err.message, status: cluster.store.status() }, { status: err.httpStatus });
    }
    if (err instanceof BrokerError) {
      log(`failed 502: ${err.message}`);
      return json<ApiError>({ error: err.message, status: cluster.store.status() }, { status: 502 });
    }
    if (err instanceof NoSnapshotError) {
      log(`failed 503: ${err.message}`);
      return json<ApiError>({ error: `the broker could not be read: ${err.message}`, status: cluster.store.status() }, { status: 503 });
    }
    console.error(`unexpected error in ${action}`, err);
    log('failed 500');
    return json<ApiError>({ error: 'internal error; see the server log', status: cluster.store.status() }, { status: 500 });
  }
}
