// Next's request proxy (formerly middleware). Refuses paths whose percent-encoding is
// broken (Next would fail decoding them with a bare 500), lets in only who may come in
// (AUTH_MODE; the API routes check again), and gives every page a content security policy
// with a fresh nonce, so the only scripts that run are Next's own. Next reads the policy
// from the request headers and puts the nonce on the scripts it renders.
import { type NextRequest, NextResponse } from 'next/server';
import { SESSION_COOKIE } from '@/lib/server/auth';
import { httpStatusOf } from '@/lib/server/errors';
import { root } from '@/lib/server/root';

function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts loaded by the nonced ones (Next's chunks) may run; nothing else.
    `script-src 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // React and the charts set style attributes; no script can come through them.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function decodable(pathname: string): boolean {
  try {
    for (const segment of pathname.split('/')) decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

function refuse(pathname: string, httpStatus: number, error: string, signIn = false): NextResponse {
  return pathname.startsWith('/api/')
    ? NextResponse.json({ error, status: null, ...(signIn ? { signIn } : {}) }, { status: httpStatus, headers: { 'cache-control': 'no-store' } })
    : new NextResponse(error, { status: httpStatus, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}

/** With AUTH_MODE=login, what one may reach before signing in. */
const SIGN_IN_PATHS = new Set(['/login', '/api/v1/session']);
/** Pages from before there were many clusters: they are the first cluster's now. */
const CLUSTER_PAGE = /^\/(components|exchanges|findings|hosts|processes|queues|services|timeline|upgrade)(\/|$)/;
/** Prometheus' endpoint checks its own bearer token (Gate.metricsAccess). */
const METRICS_PATH = '/metrics';

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (!decodable(pathname)) return refuse(pathname, 400, 'malformed percent-encoding in the path: every name must be one encodeURIComponent segment');

  const { config, gate } = root();
  const { auth, clusters } = config;
  if (pathname !== METRICS_PATH && !(auth.mode === 'login' && SIGN_IN_PATHS.has(pathname))) {
    const who = gate.authenticate(request.headers, request.cookies.get(SESSION_COOKIE)?.value);
    if (!who.ok) {
      if (who.signIn && !pathname.startsWith('/api/')) {
        const login = new URL('/login', request.url);
        login.searchParams.set('next', `${pathname}${search}`);
        return NextResponse.redirect(login, 303);
      }
      return refuse(pathname, httpStatusOf(who.kind), who.error, who.signIn);
    }
  }
  if (CLUSTER_PAGE.test(pathname)) {
    return NextResponse.redirect(new URL(`/c/${encodeURIComponent(clusters[0]!.id)}${pathname}${search}`, request.url), 307);
  }
  const prefetch = request.headers.has('next-router-prefetch') || request.headers.get('purpose') === 'prefetch';
  if (pathname.startsWith('/api/') || pathname === METRICS_PATH || prefetch) return NextResponse.next();

  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === 'development');
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  // Everything but static files (they need no nonce and have no names in their paths).
  matcher: ['/((?!_next/static|_next/image|icon.svg|favicon.ico).*)'],
};
