import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Gate } from './auth';
import type { AuthConfig } from './config';

const SERVER_MARK = Symbol.for('openstack-rabbit-lens.server');
const marks = globalThis as Record<symbol, unknown>;
const proxy: AuthConfig = { mode: 'proxy', userHeader: 'x-remote-user', trustedProxies: ['10.0.0.5', '192.168.10.0/24', 'fd00::/8'] };
const login: Extract<AuthConfig, { mode: 'login' }> = { mode: 'login', sessionIdleMs: 60_000, sessionMaxMs: 600_000 };

const authenticate = (h: Headers, sessionId: string | undefined, auth: AuthConfig, gate = new Gate(auth)) => gate.authenticate(h, sessionId);
const metricsAccess = (h: Headers, config: { auth: AuthConfig; metricsToken: string | null }) => new Gate(config.auth, config.metricsToken).metricsAccess(h);

function headers(h: Record<string, string>): Headers {
  return new Headers(h);
}

describe('behind server.mjs', () => {
  beforeEach(() => {
    marks[SERVER_MARK] = true;
  });
  afterEach(() => {
    delete marks[SERVER_MARK];
  });

  it('none: lets everyone in, as nobody in particular, from the socket\'s address', () => {
    const r = authenticate(headers({ 'x-lens-peer': '::ffff:127.0.0.1', 'x-forwarded-for': '6.6.6.6' }), undefined, { mode: 'none' });
    expect(r).toEqual({ ok: true, principal: { user: null, address: '127.0.0.1', credentials: null } });
  });

  it('proxy: believes the user header from a trusted address or network', () => {
    for (const peer of ['10.0.0.5', '::ffff:10.0.0.5', '192.168.10.77', 'fd00::17']) {
      const r = authenticate(headers({ 'x-lens-peer': peer, 'x-remote-user': 'alice' }), undefined, proxy);
      expect(r.ok && r.principal.user, peer).toBe('alice');
    }
  });

  it('proxy: names the client the proxy saw, and the proxy', () => {
    const r = authenticate(headers({ 'x-lens-peer': '10.0.0.5', 'x-remote-user': 'alice', 'x-forwarded-for': '6.6.6.6, 172.16.0.9' }), undefined, proxy);
    expect(r.ok && r.principal.address).toBe('172.16.0.9 via 10.0.0.5');
  });

  it('proxy: refuses anyone else, whatever headers they send', () => {
    for (const peer of ['10.0.0.6', '192.168.11.1', '127.0.0.1', 'fe80::1']) {
      const r = authenticate(headers({ 'x-lens-peer': peer, 'x-remote-user': 'admin', 'x-forwarded-for': '10.0.0.5' }), undefined, proxy);
      expect(r, peer).toMatchObject({ ok: false, kind: 'forbidden', error: expect.stringContaining(`${peer.replace('::ffff:', '')} is not in AUTH_TRUSTED_PROXIES`) });
    }
  });

  it('proxy: refuses a trusted proxy that names no user, or not a name', () => {
    for (const user of [undefined, '', '   ', 'a\tb', 'a\u007fb', 'x'.repeat(257)]) {
      const h: Record<string, string> = { 'x-lens-peer': '10.0.0.5' };
      if (user !== undefined) h['x-remote-user'] = user;
      expect(authenticate(headers(h), undefined, proxy)).toMatchObject({ ok: false, kind: 'not-signed-in', signIn: false });
    }
  });

  it('login: a live session is the operator, read with their own credentials', () => {
    const gate = new Gate(login);
    const session = gate.sessions!.create({ username: 'bob', password: 'pw' }, ['monitoring']);
    const r = authenticate(headers({ 'x-lens-peer': '127.0.0.1' }), session.id, login, gate);
    expect(r).toMatchObject({ ok: true, principal: { user: 'bob', address: '127.0.0.1', credentials: { username: 'bob', password: 'pw' } } });
    gate.sessions!.end(session.id);
    expect(authenticate(headers({}), session.id, login, gate)).toMatchObject({ ok: false, kind: 'not-signed-in', signIn: true, error: /session has ended/ });
    expect(authenticate(headers({}), undefined, login, gate)).toMatchObject({ ok: false, kind: 'not-signed-in', signIn: true, error: 'sign in first' });
  });
});

describe('under `next start` (no server.mjs in front)', () => {
  it('proxy: refuses everything, since nothing says who connected', () => {
    const r = authenticate(headers({ 'x-lens-peer': '10.0.0.5', 'x-remote-user': 'alice' }), undefined, proxy);
    expect(r).toMatchObject({ ok: false, kind: 'misconfigured', error: expect.stringContaining('server.mjs') });
  });

  it('none: the forged peer header means nothing', () => {
    const r = authenticate(headers({ 'x-lens-peer': '10.0.0.5', 'x-forwarded-for': '127.0.0.1' }), undefined, { mode: 'none' });
    expect(r.ok && r.principal.address).toBe('127.0.0.1');
  });
});

describe('/metrics access', () => {
  const token = 'a-token-of-sixteen-or-more';
  const bearer = (t: string) => headers({ authorization: `Bearer ${t}` });

  it('is open without authentication and without a token (the server is on loopback then)', () => {
    expect(metricsAccess(headers({}), { auth: { mode: 'none' }, metricsToken: null })).toBeNull();
  });

  it('wants the token whenever one is set, and one must be set with login or proxy', () => {
    for (const auth of [{ mode: 'none' } as const, login, proxy]) {
      expect(metricsAccess(bearer(token), { auth, metricsToken: token })).toBeNull();
      expect(metricsAccess(bearer(`${token}x`), { auth, metricsToken: token })).toMatchObject({ kind: 'not-signed-in' });
      expect(metricsAccess(headers({}), { auth, metricsToken: token })).toMatchObject({ kind: 'not-signed-in' });
    }
    expect(metricsAccess(bearer(token), { auth: login, metricsToken: null })).toMatchObject({ kind: 'forbidden' });
    expect(metricsAccess(bearer(token), { auth: proxy, metricsToken: null })).toMatchObject({ kind: 'forbidden' });
  });
});
