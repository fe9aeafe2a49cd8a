import 'server-only';
// Who is asking, and may they? One answer for the request proxy (pages) and the API routes.
//   none  — nobody signs in; the server listens on 127.0.0.1 only (server.mjs).
//   login — operators sign in with their RabbitMQ user; the broker is read with their credentials.
//   proxy — an authenticating proxy names the user in a header, believed only from its addresses.
import { timingSafeEqual } from 'node:crypto';
import { BlockList, isIPv4 } from 'node:net';
import { NextRequest } from 'next/server';
import type { AuthConfig } from './config';
import type { ErrorKind } from './errors';
import { type BrokerCredentials, type Session, SessionStore, SignInThrottle } from './sessions';

export const SESSION_COOKIE = 'lens_session';

/**
 * server.mjs writes the connecting socket's address into this header on every request,
 * replacing whatever a client sent, and marks the process; without the mark (`next start`)
 * the header means nothing.
 */
const PEER_HEADER = 'x-lens-peer';
const SERVER_MARK = Symbol.for('openstack-rabbit-lens.server');

export interface Principal {
  /** The operator: the broker user (login) or the proxy's (proxy); null without authentication. */
  user: string | null;
  /** Where the request came from, as far as this server can tell. */
  address: string;
  /** login: the broker is read with the operator's own credentials. */
  credentials: BrokerCredentials | null;
  session?: Session;
}

export type Authentication =
  | { ok: true; principal: Principal }
  | { ok: false; kind: Extract<ErrorKind, 'not-signed-in' | 'forbidden' | 'misconfigured'>; error: string; signIn: boolean };

function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
}

/** The socket's address, when server.mjs is in front; null under `next start`. */
function peerAddress(headers: Headers): string | null {
  const served = (globalThis as Record<symbol, unknown>)[SERVER_MARK] === true;
  const peer = headers.get(PEER_HEADER);
  return served && peer ? unmapped(peer) : null;
}

/** For logs and sign-in throttling only: the socket's address, else what X-Forwarded-For claims. */
export function claimedAddress(headers: Headers): string {
  return peerAddress(headers) ?? headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? 'unknown';
}

function blockListOf(list: readonly string[]): BlockList {
  const blockList = new BlockList();
  for (const entry of list) {
    const [address = '', prefix] = entry.split('/');
    const family = isIPv4(address) ? 'ipv4' : 'ipv6';
    if (prefix === undefined) blockList.addAddress(address, family);
    else blockList.addSubnet(address, Number(prefix), family);
  }
  return blockList;
}

/** What a proxy may put in the user header: a name, not a payload. */
const PROXY_USER = /^[^\p{Cc}]{1,256}$/u;

/**
 * Who may come in, for this server's AUTH_MODE: the one place that holds the sign-in sessions and
 * the throttle of failed sign-ins. Made once, by the composition root (lib/server/root.ts).
 */
export class Gate {
  /** AUTH_MODE=login: the signed-in operators. */
  readonly sessions: SessionStore | null;
  /** Ten wrong passwords for one user from one address in five minutes, then a pause. */
  readonly throttle = new SignInThrottle({ limit: 10, windowMs: 5 * 60_000 });
  private readonly trusted: BlockList | null;

  constructor(
    readonly auth: AuthConfig,
    private readonly metricsToken: string | null = null,
  ) {
    this.sessions = auth.mode === 'login' ? new SessionStore({ idleMs: auth.sessionIdleMs, maxMs: auth.sessionMaxMs }) : null;
    this.trusted = auth.mode === 'proxy' ? blockListOf(auth.trustedProxies) : null;
  }

  authenticate(headers: Headers, sessionId: string | undefined): Authentication {
    const auth = this.auth;
    switch (auth.mode) {
      case 'none':
        return { ok: true, principal: { user: null, address: claimedAddress(headers), credentials: null } };
      case 'login': {
        const address = claimedAddress(headers);
        const session = this.sessions!.use(sessionId);
        if (!session)
          return { ok: false, kind: 'not-signed-in', signIn: true, error: sessionId ? 'your session has ended: sign in again' : 'sign in first' };
        return { ok: true, principal: { user: session.credentials.username, address, credentials: session.credentials, session } };
      }
      case 'proxy': {
        const peer = peerAddress(headers);
        if (!peer)
          return {
            ok: false,
            kind: 'misconfigured',
            signIn: false,
            error: 'AUTH_MODE=proxy needs the dashboard\'s own server (npm start, i.e. node server.mjs): `next start` cannot tell who connected',
          };
        if (!this.trusted!.check(peer, isIPv4(peer) ? 'ipv4' : 'ipv6'))
          return { ok: false, kind: 'forbidden', signIn: false, error: `only the authenticating proxy may connect; ${peer} is not in AUTH_TRUSTED_PROXIES` };
        const user = headers.get(auth.userHeader)?.trim() ?? '';
        if (!PROXY_USER.test(user))
          return { ok: false, kind: 'not-signed-in', signIn: false, error: `the authenticating proxy did not name a user in ${auth.userHeader}` };
        // The proxy appends the client it saw; that is the one entry we can believe.
        const client = headers.get('x-forwarded-for')?.split(',').at(-1)?.trim();
        return { ok: true, principal: { user, address: client ? `${client} via ${peer}` : peer, credentials: null } };
      }
    }
  }

  authenticateRequest(req: Request): Authentication {
    return this.authenticate(req.headers, sessionIdOf(req));
  }

  /**
   * /metrics is for Prometheus, which signs in nowhere: it sends METRICS_TOKEN as a bearer token.
   * Without authentication (loopback only) it is open unless a token is set; with login or proxy
   * a token is required. Null when the scrape may go ahead.
   */
  metricsAccess(headers: Headers): { kind: Extract<ErrorKind, 'not-signed-in' | 'forbidden'>; error: string } | null {
    if (!this.metricsToken)
      return this.auth.mode === 'none'
        ? null
        : { kind: 'forbidden', error: `/metrics needs METRICS_TOKEN with AUTH_MODE=${this.auth.mode}: set it, and have Prometheus send it as a bearer token` };
    const sent = headers.get('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? '';
    const a = Buffer.from(sent);
    const b = Buffer.from(this.metricsToken);
    return a.length === b.length && timingSafeEqual(a, b) ? null : { kind: 'not-signed-in', error: 'send METRICS_TOKEN as Authorization: Bearer <token>' };
  }
}

export function sessionIdOf(req: Request): string | undefined {
  const cookies = req instanceof NextRequest ? req.cookies : new NextRequest(req.url, { headers: req.headers }).cookies;
  return cookies.get(SESSION_COOKIE)?.value;
}
