// Next's request proxy (formerly middleware). Refuses paths whose percent-encoding is
// broken (Next would fail decoding them with a bare 500), and gives every page a content
// security policy with a fresh nonce, so the only scripts that run are Next's own. Next
// reads the policy from the request headers and puts the nonce on the scripts it renders.
import { type NextRequest, NextResponse } from 'next/server';

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

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (!decodable(pathname)) {
    const error = 'malformed percent-encoding in the path: every name must be one encodeURIComponent segment';
    return pathname.startsWith('/api/')
      ? NextResponse.json({ error, status: null }, { status: 400 })
      : new NextResponse(error, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const prefetch = request.headers.has('next-router-prefetch') || request.headers.get('purpose') === 'prefetch';
  if (pathname.startsWith('/api/') || prefetch) return NextResponse.next();

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
