// The one way the browser talks to our /api: typed JSON, errors as ApiRequestError.
import type { ApiError, SnapshotStatus } from '@/lib/api/contract';
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
  /** 502/503/0: the server could not reach the broker, or we could not reach the server. */
  get unavailable(): boolean {
    return this.httpStatus === 0 || this.httpStatus === 502 || this.httpStatus === 503 || this.httpStatus === 504;
  }
  get notFound(): boolean {
    return this.httpStatus === 404;
  }
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

function isApiError(x: unknown): x is ApiError {
  return typeof x === 'object' && x !== null && typeof (x as { error?: unknown }).error === 'string';
}

/** The session ended (AUTH_MODE=login): to the sign-in page, coming back here afterwards. */
function signInAgainIfAsked(res: Response, body: unknown): void {
  if (res.status !== 401 || !isApiError(body) || !body.signIn || typeof window === 'undefined') return;
  if (window.location.pathname === '/login') return;
  window.location.assign(signInHref(`${window.location.pathname}${window.location.search}`));
}

export async function apiGet<T>(
  path: string,
  opts: { signal?: AbortSignal; fetchImpl?: FetchLike } = {},
): Promise<T> {
  const fetchImpl = opts.fetchImpl ?? ((i: string, init?: RequestInit) => fetch(i, init));
  let res: Response;
  try {
    res = await fetchImpl(path, { signal: opts.signal, headers: { accept: 'application/json' }, cache: 'no-store' });
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
    signInAgainIfAsked(res, body);
    if (isApiError(body)) throw new ApiRequestError(body.error, res.status, body.status ?? null);
    throw new ApiRequestError(`HTTP ${res.status} ${res.statusText}`.trim(), res.status, null);
  }
  if (body === null) throw new ApiRequestError('invalid JSON from the dashboard server', res.status, null);
  return body as T;
}

/**
 * A POST (or DELETE) of JSON to our own /api (same origin, `Content-Type: application/json`,
 * which the action routes require). Errors as ApiRequestError, like apiGet.
 */
export async function apiPost<T>(
  path: string,
  body: unknown,
  opts: { signal?: AbortSignal; fetchImpl?: FetchLike; method?: 'POST' | 'DELETE' } = {},
): Promise<T> {
  const fetchImpl = opts.fetchImpl ?? ((i: string, init?: RequestInit) => fetch(i, init));
  let res: Response;
  try {
    res = await fetchImpl(path, {
      method: opts.method ?? 'POST',
      signal: opts.signal,
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
      credentials: 'same-origin',
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiRequestError(`dashboard server unreachable: ${(e as Error).message}`, 0, null);
  }
  let parsed: unknown = null;
  try {
    parsed = await res.json();
  } catch {
    parsed = null;
  }
  if (!res.ok) {
    signInAgainIfAsked(res, parsed);
    if (isApiError(parsed)) throw new ApiRequestError(parsed.error, res.status, parsed.status ?? null);
    throw new ApiRequestError(`HTTP ${res.status} ${res.statusText}`.trim(), res.status, null);
  }
  if (parsed === null) throw new ApiRequestError('invalid JSON from the dashboard server', res.status, null);
  return parsed as T;
}
