// What a signed-in operator may see of what the dashboard remembers. The dashboard reads the broker
// and keeps its store as the configured user (here a `monitoring` user who may read two vhosts);
// an operator who may read only the first signs in. A nova-compute in the second vhost starts,
// stops consuming (a finding) and goes. Nothing that operator can ask for (the journal, the
// history of every scope, a capture, the findings, the live lists) may carry a trace of it, while
// the configured user's own view (the same store) does: the test would see a leak.
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryResponse, HostDetailResponse, JournalResponse, ProcessesResponse } from '@/lib/api/schemas';
import { queueSeriesKey } from '@/lib/domain/series';
import { type CloudHandle, startCloud } from '@/sim/cloud';
import { parseScenario } from '@/sim/scenario';
import { admin, amqpUrl, createTestVhost, deleteTestVhost, eventually, MANAGEMENT_URL } from '../helpers/broker';
import { type DashboardServer, startDashboard } from '../helpers/dashboard-server';

const suffix = randomBytes(3).toString('hex');
const SECRET_HOST = `secret-host-${suffix}`;
const SECRET_ADDRESS = '127.0.19.9';
const OPEN_HOST = `open-host-${suffix}`;
const users = {
  reader: { name: `lens-reader-${suffix}`, password: `pw-${randomBytes(9).toString('hex')}`, tags: 'monitoring' },
  operator: { name: `lens-operator-${suffix}`, password: `pw-${randomBytes(9).toString('hex')}`, tags: 'management' },
};
const api = '/api/v1/clusters/default';

let leakA: string;
let leakB: string;
let open: CloudHandle | undefined;
let secret: CloudHandle | undefined;
let dashboard: DashboardServer | undefined;
let operatorCookie = '';
let readerCookie = '';

const cloudOf = (host: string, address: string) =>
  parseScenario({
    hosts: [{ name: host, address, services: ['nova-compute'] }],
    controllers: [],
    traffic: { notificationConsumer: false },
  });

async function signIn(user: { name: string; password: string }): Promise<string> {
  const res = await fetch(`${dashboard!.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: dashboard!.url },
    body: JSON.stringify({ username: user.name, password: user.password }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('lens_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0]!;
}

async function get(cookie: string, path: string): Promise<Response> {
  return fetch(`${dashboard!.url}${api}${path}`, { headers: { cookie } });
}
async function getJson<T>(cookie: string, path: string): Promise<T> {
  const res = await get(cookie, path);
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as T;
}

/** Whatever names the hidden vhost's activity: its vhost, its host, its address. */
function tracesIn(text: string): string[] {
  return [leakB, SECRET_HOST, SECRET_ADDRESS].filter((t) => text.includes(t));
}

const maxConsumers = (h: HistoryResponse) => Math.max(0, ...h.points.map((p) => p.consumers ?? 0));

beforeAll(async () => {
  leakA = await createTestVhost('leak-a');
  leakB = await createTestVhost('leak-b');
  for (const u of Object.values(users)) await admin.put(`/api/users/${u.name}`, { password: u.password, tags: u.tags });
  const readOnly = { configure: '^$', write: '^$', read: '.*' };
  for (const v of [leakA, leakB]) await admin.put(`/api/permissions/${encodeURIComponent(v)}/${users.reader.name}`, readOnly);
  await admin.put(`/api/permissions/${encodeURIComponent(leakA)}/${users.operator.name}`, readOnly);

  dashboard = await startDashboard({
    AUTH_MODE: 'login',
    RABBITMQ_MANAGEMENT_URL: MANAGEMENT_URL,
    RABBITMQ_USERNAME: users.reader.name,
    RABBITMQ_PASSWORD: users.reader.password,
    REFRESH_INTERVAL_MS: '1000',
    FINDINGS_GRACE_MS: '1000',
    FINDINGS_SETTLE_MS: '1000',
  });
  operatorCookie = await signIn(users.operator);
  readerCookie = await signIn(users.reader);
  // The open vhost's cloud starts once the dashboard has read the broker, so that the journal has
  // something of it to show the operator (the first reading is compared with none).
  await getJson<ProcessesResponse>(readerCookie, '/processes');
  open = await startCloud(cloudOf(OPEN_HOST, '127.0.18.8'), { amqpUrl: amqpUrl(leakA), traffic: false });
  // The configured user watches; it must see the open cloud before the secret one starts.
  await eventually(async () => (await getJson<ProcessesResponse>(readerCookie, `/processes?q=${OPEN_HOST}`)).items.length > 0, 60_000);

  // The hidden vhost's life: a process comes, its queue stops being consumed (a finding), it goes.
  secret = await startCloud(cloudOf(SECRET_HOST, SECRET_ADDRESS), { amqpUrl: amqpUrl(leakB), traffic: false });
  await eventually(async () => (await getJson<ProcessesResponse>(readerCookie, `/processes?q=${SECRET_HOST}`)).items.length > 0, 60_000);
  // Its history is written (a point of 5 s holds what the first refresh in it saw) before anything changes.
  await eventually(async () => {
    const both = await getJson<HistoryResponse>(readerCookie, '/history?scope=component&key=nova&range=15m');
    const host = await getJson<HistoryResponse>(readerCookie, `/history?scope=host&key=${SECRET_HOST}&range=15m`);
    return maxConsumers(both) >= 6 && maxConsumers(host) > 0;
  }, 60_000);
  await secret.process('nova-compute', SECRET_HOST).stopConsuming(`compute.${SECRET_HOST}`);
  await eventually(async () => {
    const j = await getJson<JournalResponse>(readerCookie, `/journal?range=1h&host=${SECRET_HOST}&kind=finding-raised`);
    return j.total > 0;
  }, 60_000);
  await secret.stop();
  secret = undefined;
  await eventually(async () => {
    const j = await getJson<JournalResponse>(readerCookie, '/journal?range=1h&kind=process-gone');
    return j.groups.some((g) => g.entries.some((e) => e.process?.endsWith(`@${SECRET_ADDRESS}`)));
  }, 60_000);
}, 300_000);

afterAll(async () => {
  await dashboard?.stop();
  await secret?.stop();
  await open?.stop();
  for (const u of Object.values(users)) await admin.delete(`/api/users/${u.name}`, { validateStatus: () => true });
  for (const v of [leakA, leakB]) if (v) await deleteTestVhost(v);
});

describe('an operator who may read one vhost of two', () => {
  it('reads a journal without a trace of the other vhost, which the configured user sees', async () => {
    const mine = await get(operatorCookie, '/journal?range=1h');
    expect(mine.status).toBe(200);
    const text = await mine.text();
    expect(tracesIn(text)).toEqual([]);
    // Their own vhost's activity is there.
    expect(text).toContain(OPEN_HOST);
    const all = await (await get(readerCookie, '/journal?range=1h')).text();
    expect(tracesIn(all).sort()).toEqual([leakB, SECRET_ADDRESS, SECRET_HOST].sort());
  });

  it('reads history of every scope summed over their vhost only', async () => {
    const range = 'range=1h';
    for (const [scope, key] of [
      ['global', ''],
      ['component', 'nova'],
      ['topic', 'compute'],
    ] as const) {
      const q = `/history?scope=${scope}&key=${encodeURIComponent(key)}&${range}`;
      const mine = await getJson<HistoryResponse>(operatorCookie, q);
      const all = await getJson<HistoryResponse>(readerCookie, q);
      // The open cloud's one nova-compute consumes three queues (compute, its per-server queue, its fanout).
      expect(maxConsumers(all), `${scope} as the configured user`).toBeGreaterThan(maxConsumers(mine));
      expect(maxConsumers(mine), `${scope} as the operator`).toBeGreaterThan(0);
      expect(tracesIn(JSON.stringify(mine)), scope).toEqual([]);
    }
    const host = await getJson<HistoryResponse>(operatorCookie, `/history?scope=host&key=${SECRET_HOST}&${range}`);
    expect(host.points.filter((p) => p.consumers !== null)).toEqual([]);
    expect(host.events).toEqual([]);
    const hostSeen = await getJson<HistoryResponse>(readerCookie, `/history?scope=host&key=${SECRET_HOST}&${range}`);
    expect(maxConsumers(hostSeen)).toBeGreaterThan(0);
    const queue = await getJson<HistoryResponse>(operatorCookie, `/history?scope=queue&key=${encodeURIComponent(queueSeriesKey(leakB, `compute.${SECRET_HOST}`))}&${range}`);
    expect(queue.points.filter((p) => p.consumers !== null)).toEqual([]);
  });

  it('downloads a capture without a trace of the other vhost', async () => {
    const res = await get(operatorCookie, '/capture?range=1h');
    expect(res.status).toBe(200);
    const text = gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8');
    expect(tracesIn(text)).toEqual([]);
    expect(text).toContain(OPEN_HOST);
    const all = await get(readerCookie, '/capture?range=1h');
    expect(tracesIn(gunzipSync(Buffer.from(await all.arrayBuffer())).toString('utf8'))).toContain(SECRET_HOST);
  });

  it('sees no trace of it in any live answer either', async () => {
    for (const path of ['/overview', '/queues?pageSize=1000', '/processes', '/exchanges', '/services', '/findings', '/upgrade', '/components/nova']) {
      const res = await get(operatorCookie, path);
      expect(res.status, path).toBe(200);
      expect(tracesIn(await res.text()), path).toEqual([]);
    }
    // The host page names the host asked for, and nothing else of it.
    const host = await getJson<HostDetailResponse>(operatorCookie, `/hosts/${SECRET_HOST}`);
    expect({ processes: host.processes, services: host.services, otherQueues: host.otherQueues, findings: host.findings }).toEqual({ processes: [], services: [], otherQueues: [], findings: [] });
    const clusters = await fetch(`${dashboard!.url}/api/v1/clusters?include=health`, { headers: { cookie: operatorCookie } });
    expect(tracesIn(await clusters.text())).toEqual([]);
  });
});
