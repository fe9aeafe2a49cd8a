import 'server-only';
// What every API route does around its one line of logic: find the cluster,
// check parameters, wait for the snapshot, and answer errors as JSON.
import { NextResponse } from 'next/server';
import { z } from 'zod';
import type { ApiError, SnapshotStatus } from '@/lib/api/contract';
import type { Topology } from '@/lib/domain/types';
import { authenticateRequest, type Principal } from './auth';
import { type Cluster, getCluster } from './clusters';
import { NoSnapshotError } from './snapshot';

export class HttpError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
  }
}

export function json<T>(body: T, init?: ResponseInit): NextResponse<T> {
  return NextResponse.json(body, { ...init, headers: { 'Cache-Control': 'no-store', ...init?.headers } });
}

function errorResponse(httpStatus: number, error: string, status: SnapshotStatus | null): NextResponse<ApiError> {
  return json({ error, status }, { status: httpStatus });
}

/** The principal, or the answer that refuses the request (the request proxy has already checked; this is the second lock). */
export function requirePrincipal(req: Request): { principal: Principal } | { refusal: NextResponse<ApiError> } {
  const auth = authenticateRequest(req);
  if (auth.ok) return { principal: auth.principal };
  return { refusal: json<ApiError>({ error: auth.error, status: null, signIn: auth.signIn || undefined }, { status: auth.httpStatus }) };
}

/** Route parameters arrive percent-decoded from Next; an empty segment is refused. */
export const nameParam = z.string().max(1024);

export function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const detail = result.error.issues
      .map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`)
      .join('; ');
    throw new HttpError(400, `invalid ${what}: ${detail}`);
  }
  return result.data;
}

export function searchParams(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

export interface ClusterContext {
  cluster: Cluster;
  topology: Topology;
  status: SnapshotStatus;
}

/** Runs a handler against the named cluster's current snapshot, as the requester may see it. */
export async function withSnapshot<T>(
  req: Request,
  clusterId: string,
  handler: (ctx: ClusterContext) => T | Promise<T>,
): Promise<NextResponse> {
  const who = requirePrincipal(req);
  if ('refusal' in who) return who.refusal;
  const cluster = getCluster(clusterId, who.principal);
  if (!cluster) return errorResponse(404, `no cluster named "${clusterId}"`, null);
  try {
    const snapshot = await cluster.store.get();
    const body = await handler({ cluster, topology: snapshot.value, status: cluster.store.status() });
    return json(body);
  } catch (err) {
    if (err instanceof HttpError) return errorResponse(err.httpStatus, err.message, cluster.store.status());
    if (err instanceof NoSnapshotError)
      return errorResponse(503, `the broker could not be read: ${err.message}`, cluster.store.status());
    console.error('unexpected error in API route', err);
    return errorResponse(500, 'internal error; see the server log', cluster.store.status());
  }
}

export function notFound(what: string): never {
  throw new HttpError(404, `${what} not found`);
}
