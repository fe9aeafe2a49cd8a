// The one way the browser talks to our /api: JSON checked against the API's schemas
// (lib/api/schemas.ts) before a page sees it, errors as ApiRequestError.
import type { z } from 'zod';
import { apiError, type SnapshotStatus } from '@/lib/api/schemas';
import { signInHref } from './links';

export class ApiRequestError extends Error {
  readonly httpStatus: number;
  /** The server's snapshot status when it sent one with the error. */
  readonly snapshot: SnapshotStatus | null;
  constructor(message: string, httpStatus: number, snapshot: SnapshotStatus | null) {
    super(message);
    this.name = 'ApiRequestError';
    this.httpStatus = httpStatus;
    this.snapshot = snapshot;
  }
  /** 502/503/504/0: the server could not reach the broker, or we could not reach the server. */
  get unavailable(): boolean {
    return this.httpStatus === 0 || this.httpStatus === 502 || this.httpStatus === 503 || this.httpStatus === 504;
  }
  get notFound(): boolean {
    return this.httpStatus === 404;
  }
}

/** The session ended (AUTH_MODE=login): to the sign-in page, coming back here afterwards. */
function signInAgainIfAsked(res: Response, signIn: boolean | undefined): void {
  if (res.status !== 401 || !signIn || typeof window === 'undefined') return;
  if (window.location.pathname === '/login') return;
  window.location.assign(signInHref(`${window.location.pathname}${window.location.search}`));
}

async function request<S extends z.ZodType>(path: string, schema: S, init: RequestInit): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, cache: 'no-store' });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiRequestError(`dashboard server unreachable: ${(e as Error).message}`, 0, null);
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const error = apiError.safeParse(body);
    signInAgainIfAsked(res, error.success ? error.data.signIn : undefined);
    if (error.success) throw new ApiRequestError(error.data.error, res.status, error.data.status);
    throw new ApiRequestError(`HTTP ${res.status} ${res.statusText}`.trim(), res.status, null);
  }
  if (body === null) throw new ApiRequestError('invalid JSON from the dashboard server', res.status, null);
  const checked = schema.safeParse(body);
  if (!checked.success) {
    const [issue] = checked.error.issues;
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new ApiRequestError(`the dashboard server answered ${path.split('?')[0]} in an unexpected shape${where}: ${issue?.message ?? 'invalid'}`, res.status, null);
  }
  return checked.data;
}

export function apiGet<S extends z.ZodType>(path: string, schema: S, opts: { signal?: AbortSignal } = {}): Promise<z.infer<S>> {
  return request(path, schema, { signal: opts.signal, headers: { accept: 'application/json' } });
}

/**
 * A POST (or DELETE) of JSON to our own /api (same origin, `Content-Type: application/json`,
 * which the action routes require).
 */
export function apiPost<S extends z.ZodType>(path: string, body: unknown, schema: S, opts: { method?: 'POST' | 'DELETE' } = {}): Promise<z.infer<S>> {
  return request(path, schema, {
    method: opts.method ?? 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
}
