// Who may look, against the real broker and the built dashboard behind its own server:
//  - AUTH_MODE=login: operators sign in with their RabbitMQ user, the broker checks the password,
//    and each sees exactly what the broker shows that user;
//  - AUTH_MODE=proxy: the user header is believed only from the configured proxy address.
// Loopback has the whole of 127.0.0.0/8, so "another machine" is 127.0.0.2 here.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, QueuesResponse, SessionResponse } from '@/lib/api/schemas';
import { admin, amqpUrl, createTestVhost, deleteTestVhost, eventually, MANAGEMENT_URL } from '../helpers/broker';
import { type DashboardServer, startDashboard } from '../helpers/dashboard-server';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json<T>(): T;
}

/** A plain HTTP request from a chosen local address (fetch cannot choose one). */
function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: unknown; from?: string } = {},
): Promise<Answer> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: opts.method ?? 'GET',
        localAddress: opts.from ?? '127.0.0.1',
        headers: { ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}), ...opts.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const suffix = randomBytes(3).toString('hex');
const QUEUE = `compute.auth-${suffix}`;
const users = {
  alice: { name: `lens-alice-${suffix}`, password: `pw-${randomBytes(9).toString('hex')}`, tags: 'management' },
  mona: { name: `lens-mona-${suffix}`, password: `pw-${randomBytes(9).toString('hex')}`, tags: 'monitoring' },
  notag: { name: `lens-notag-${suffix}`, password: `pw-${randomBytes(9).toString('hex')}`, tags: '' },
};
let vhostA: string;
let vhostB: string;

beforeAll(async () => {
  vhostA = await createTestVhost('auth-a');
  vhostB = await createTestVhost('auth-b');
  for (const v of [vhostA, vhostB])
    await admin.put(`/api/queues/${encodeURIComponent(v)}/${QUEUE}`, { durable: false, auto_delete: false, arguments: {} });
  for (const u of Object.values(users)) await admin.put(`/api/users/${u.name}`, { password: u.password, tags: u.tags });
  const readOnly = { configure: '^$', write: '^$', read: '.*' };
  await admin.put(`/api/permissions/${encodeURIComponent(vhostA)}/${users.alice.name}`, readOnly);
  for (const v of [vhostA, vhostB]) await admin.put(`/api/permissions/${encodeURIComponent(v)}/${users.mona.name}`, readOnly);
});

afterAll(async () => {
  for (const u of Object.values(users)) await admin.delete(`/api/users/${u.name}`, { validateStatus: () => true });
  for (const v of [vhostA, vhostB]) if (v) await deleteTestVhost(v);
});

describe('AUTH_MODE=login', () => {
  let dashboard: DashboardServer;
  let base: string;
  const origin = () => ({ origin: base });

  async function signIn(name: string, password: string): Promise<Answer> {
    return request(`${base}/api/v1/session`, { method: 'POST', headers: origin(), body: { username: name, password } });
  }
  function cookieOf(answer: Answer): string {
    const cookie = answer.headers['set-cookie']?.find((c) => c.startsWith('lens_session='));
    if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(answer.headers)}`);
    return cookie.split(';')[0]!;
  }
  async function queuesSeenBy(cookie: string): Promise<string[]> {
    const res = await request(`${base}/api/v1/clusters/default/queues?q=${QUEUE}`, { headers: { cookie } });
    expect(res.status, res.text).toBe(200);
    return res
      .json<QueuesResponse>()
      .items.map((q) => q.vhost)
      .sort();
  }

  beforeAll(async () => {
    dashboard = await startDashboard({
      AUTH_MODE: 'login',
      RABBITMQ_MANAGEMENT_URL: MANAGEMENT_URL,
      REFRESH_INTERVAL_MS: '1000',
      RABBITMQ_AMQP_URL: amqpUrl(vhostB),
    });
    base = dashboard.url;
  });
  afterAll(async () => {
    await dashboard?.stop();
  });

  it('lets nobody read anything before signing in: the API says so, pages go to the sign-in page', async () => {
    for (const path of ['/api/v1/clusters', '/api/v1/clusters/default/overview', `/api/v1/clusters/default/queues/${encodeURIComponent(vhostA)}/${QUEUE}`]) {
      const res = await request(`${base}${path}`);
      expect(res.status, path).toBe(401);
      expect(res.json<ApiError>(), path).toMatchObject({ error: 'sign in first', signIn: true });
    }
    const page = await request(`${base}/queues?q=compute`);
    expect(page.status).toBe(303);
    expect(new URL(page.headers.location ?? '', base).href).toBe(`${base}/login?next=%2Fqueues%3Fq%3Dcompute`);
    const login = await request(`${base}/login`);
    expect(login.status).toBe(200);
    expect(login.text).toContain('Rabbit Lens');
    expect((await request(`${base}/api/v1/session`)).json<SessionResponse>()).toEqual({ mode: 'login', user: null, tags: [], expiresAt: null });
    // Prometheus cannot sign in: /metrics wants a token of its own, and there is none here.
    const metrics = await request(`${base}/metrics`);
    expect(metrics.status).toBe(403);
    expect(metrics.text).toContain('/metrics needs METRICS_TOKEN with AUTH_MODE=login');
  });

  it('refuses wrong passwords, users the broker keeps out of its management API, and cross-site attempts', async () => {
    const wrong = await signIn(users.alice.name, 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.json<ApiError>().error).toBe('the broker refused this user name and password');
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const noTag = await signIn(users.notag.name, users.notag.password);
    expect(noTag.status).toBe(401);
    expect(noTag.json<ApiError>().error).toMatch(/management or monitoring tag/);

    const crossSite = await request(`${base}/api/v1/session`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      body: { username: users.alice.name, password: users.alice.password },
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers['set-cookie']).toBeUndefined();

    const form = await request(`${base}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: undefined,
    });
    expect(form.status).toBe(415);
  });

  it('signs in with an httpOnly, SameSite=strict, expiring cookie that holds no credentials', async () => {
    const res = await signIn(users.alice.name, users.alice.password);
    expect(res.status, res.text).toBe(200);
    expect(res.json<SessionResponse>()).toMatchObject({ mode: 'login', user: users.alice.name, tags: ['management'] });
    const cookie = res.headers['set-cookie']?.find((c) => c.startsWith('lens_session=')) ?? '';
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=strict/i);
    expect(cookie).toMatch(/; Max-Age=43200/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toContain(users.alice.password);
    expect(cookie).not.toContain(Buffer.from(users.alice.password).toString('base64'));
    expect(res.text).not.toContain(users.alice.password);
  });

  it('shows each operator what the broker shows their user, and nothing else', async () => {
    const alice = cookieOf(await signIn(users.alice.name, users.alice.password));
    const mona = cookieOf(await signIn(users.mona.name, users.mona.password));
    // Alice has permissions in vhost A only; the monitoring user in both.
    await eventually(async () => (await queuesSeenBy(mona)).length === 2, 30_000);
    expect(await queuesSeenBy(mona)).toEqual([vhostA, vhostB].sort());
    await eventually(async () => (await queuesSeenBy(alice)).length === 1, 30_000);
    expect(await queuesSeenBy(alice)).toEqual([vhostA]);
    const hidden = await request(`${base}/api/v1/clusters/default/queues/${encodeURIComponent(vhostB)}/${QUEUE}`, { headers: { cookie: alice } });
    expect(hidden.status).toBe(404);
    const session = (await request(`${base}/api/v1/session`, { headers: { cookie: alice } })).json<SessionResponse>();
    expect(session.user).toBe(users.alice.name);
  });

  it('lets an operator aim the RPC ping only where the broker lets them look', async () => {
    const ping = (cookie: string) =>
      request(`${base}/api/v1/clusters/default/probe`, {
        method: 'POST',
        headers: { cookie, ...origin() },
        body: { topic: 'compute', server: `auth-${suffix}`, exchange: 'nova', vhost: vhostB, timeoutMs: 300 },
      });
    const alice = cookieOf(await signIn(users.alice.name, users.alice.password));
    await eventually(async () => (await queuesSeenBy(alice)).length === 1, 30_000);
    const refused = await ping(alice);
    expect(refused.status).toBe(403);
    expect(refused.json<ApiError>().error).toBe(`the broker does not show you vhost "${vhostB}", so you may not ping in it`);
    const mona = cookieOf(await signIn(users.mona.name, users.mona.password));
    await eventually(async () => (await queuesSeenBy(mona)).length === 2, 30_000);
    const answered = await ping(mona);
    expect(answered.status, answered.text).toBe(200);
    expect(dashboard.output()).toContain(`[probe] ${users.alice.name} from 127.0.0.1 vhost=${vhostB}`);
  });

  it('signing out ends the session on the server, not only in the browser', async () => {
    const cookie = cookieOf(await signIn(users.mona.name, users.mona.password));
    expect((await request(`${base}/api/v1/clusters/default/overview`, { headers: { cookie } })).status).toBe(200);
    const out = await request(`${base}/api/v1/session`, { method: 'DELETE', headers: { cookie, ...origin() }, body: {} });
    expect(out.status).toBe(200);
    expect(out.headers['set-cookie']?.join()).toMatch(/lens_session=;.*Max-Age=0/);
    const after = await request(`${base}/api/v1/clusters/default/overview`, { headers: { cookie } });
    expect(after.status).toBe(401);
    expect(after.json<ApiError>()).toMatchObject({ error: 'your session has ended: sign in again', signIn: true });
  });

  it('pauses guessing: after ten wrong passwords for one user from one address, the next attempt waits', async () => {
    const victim = users.mona.name;
    for (let i = 0; i < 10; i++) expect((await signIn(victim, `guess-${i}`)).status).toBe(401);
    const paused = await signIn(victim, users.mona.password);
    expect(paused.status).toBe(429);
    expect(Number(paused.headers['retry-after'])).toBeGreaterThan(200);
    expect(paused.json<ApiError>().error).toMatch(/too many failed attempts/);
    // Another user from the same address is not held up by it.
    expect((await signIn(users.alice.name, users.alice.password)).status).toBe(200);
  });

  it('logs who signed in and out, and never a password', () => {
    const log = dashboard.output();
    expect(log).toContain(`[sign-in] ${users.alice.name} from 127.0.0.1 → signed in (tags: management)`);
    expect(log).toContain(`[sign-in] ${users.alice.name} from 127.0.0.1 → refused 401: wrong user name or password`);
    expect(log).toContain(`[sign-out] ${users.mona.name} from 127.0.0.1`);
    for (const u of Object.values(users)) expect(log).not.toContain(u.password);
  });
});

describe('AUTH_MODE=proxy', () => {
  let dashboard: DashboardServer;
  let base: string;
  const PROXY = '127.0.0.2';

  beforeAll(async () => {
    dashboard = await startDashboard({
      AUTH_MODE: 'proxy',
      AUTH_TRUSTED_PROXIES: `${PROXY},10.99.0.0/16`,
      AUTH_PROXY_HEADER: 'X-Remote-User',
      RABBITMQ_MANAGEMENT_URL: MANAGEMENT_URL,
      REFRESH_INTERVAL_MS: '1000',
      PEEK_ENABLED: 'true',
    });
    base = dashboard.url;
  });
  afterAll(async () => {
    await dashboard?.stop();
  });

  it('refuses anyone but the proxy, whatever headers they forge', async () => {
    for (const path of ['/api/v1/clusters/default/overview', '/queues', '/login']) {
      const res = await request(`${base}${path}`, {
        headers: { 'x-remote-user': 'admin', 'x-lens-peer': PROXY, 'x-forwarded-for': PROXY },
      });
      expect(res.status, path).toBe(403);
      expect(res.text, path).toContain('127.0.0.1 is not in AUTH_TRUSTED_PROXIES');
    }
  });

  it('refuses the proxy when it names no user', async () => {
    const res = await request(`${base}/api/v1/clusters/default/overview`, { from: PROXY });
    expect(res.status).toBe(401);
    expect(res.json<ApiError>().error).toBe('the authenticating proxy did not name a user in x-remote-user');
  });

  it('serves the user the proxy names, and logs their actions under that name', async () => {
    const as = { from: PROXY, headers: { 'x-remote-user': 'carol', 'x-forwarded-for': '10.1.2.3' } };
    const session = await request(`${base}/api/v1/session`, as);
    expect(session.json<SessionResponse>()).toEqual({ mode: 'proxy', user: 'carol', tags: [], expiresAt: null });
    expect((await request(`${base}/c/default/queues`, as)).status).toBe(200);
    await eventually(async () => (await request(`${base}/api/v1/clusters/default/overview`, as)).status === 200, 30_000);

    const peek = await request(`${base}/api/v1/clusters/default/queues/${encodeURIComponent(vhostA)}/${QUEUE}/peek`, {
      ...as,
      method: 'POST',
      headers: { ...as.headers, origin: base },
      body: { count: 1 },
    });
    expect(peek.status, peek.text).toBe(200);
    expect(dashboard.output()).toContain(`[peek] carol from 10.1.2.3 via ${PROXY} vhost=${vhostA} queue=${QUEUE} count=1 → read and requeued 0 message(s)`);
    // It has no sign-in of its own.
    const signIn = await request(`${base}/api/v1/session`, { ...as, method: 'POST', headers: { ...as.headers, origin: base }, body: { username: 'x', password: 'y' } });
    expect(signIn.status).toBe(404);
  });
});

describe('where it listens', () => {
  /** An address of this machine that is not loopback, if it has one. */
  const outside = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  const reachable = async (port: string) =>
    request(`http://${outside}:${port}/api/v1/session`, { from: outside }).then(
      () => true,
      (err: NodeJS.ErrnoException) => (err.code === 'ECONNREFUSED' ? false : Promise.reject(err)),
    );

  it('without authentication: on 127.0.0.1 only, whatever HOST says, and it says so', async () => {
    const dashboard = await startDashboard({ HOST: '0.0.0.0', RABBITMQ_MANAGEMENT_URL: MANAGEMENT_URL });
    try {
      const port = new URL(dashboard.url).port;
      expect(dashboard.output()).toContain('HOST=0.0.0.0 ignored: without AUTH_MODE=login or proxy it listens on 127.0.0.1 only');
      expect(dashboard.output()).toContain(`listening on http://127.0.0.1:${port} (no authentication: reachable from this machine only)`);
      if (outside) expect(await reachable(port)).toBe(false);
    } finally {
      await dashboard.stop();
    }
  });

  it('with AUTH_MODE=login: on HOST', async () => {
    const dashboard = await startDashboard({ AUTH_MODE: 'login', HOST: '0.0.0.0', RABBITMQ_MANAGEMENT_URL: MANAGEMENT_URL });
    try {
      const port = new URL(dashboard.url).port;
      expect(dashboard.output()).toContain(`listening on http://0.0.0.0:${port} (AUTH_MODE=login)`);
      if (outside) expect(await reachable(port)).toBe(true);
    } finally {
      await dashboard.stop();
    }
  });

  it('refuses to start on a configuration it cannot honour, and says why', async () => {
    await expect(startDashboard({ AUTH_MODE: 'proxy' })).rejects.toThrow(/exited \(2\).*AUTH_MODE=proxy needs AUTH_TRUSTED_PROXIES/s);
    await expect(startDashboard({ AUTH_MODE: 'proxy', AUTH_TRUSTED_PROXIES: 'proxy.example.com' })).rejects.toThrow(/"proxy.example.com" is neither an IP address/);
  });
});
