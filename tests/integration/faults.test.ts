// The dashboard's server when the management API fails, through a fault-injecting proxy
// in front of the real broker: every fault gets a status that says which request failed,
// why and since when; the last good snapshot is kept and served as stale; the server
// comes back by itself when the broker does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OverviewResponse, QueuesResponse } from '@/lib/api/schemas';
import { admin, createTestVhost, deleteTestVhost, MANAGEMENT_URL } from '../helpers/broker';
import { type Fault, type FaultProxy, startFaultProxy } from '../helpers/fault-proxy';

const TIMEOUT_MS = 1500;
let proxy: FaultProxy;
let vhost: string;
let cluster: import('@/lib/server/cluster').Cluster | null;
let overviewRoute: typeof import('@/app/api/v1/clusters/[cluster]/overview/route');
let queuesRoute: typeof import('@/app/api/v1/clusters/[cluster]/queues/route');

async function api<T>(route: { GET: (req: Request, ctx: { params: Promise<{ cluster: string }> }) => Promise<Response> }, path: string) {
  const res = await route.GET(new Request(`http://dashboard.test${path}`), { params: Promise.resolve({ cluster: 'default' }) });
  return { httpStatus: res.status, body: (await res.json()) as T & { error?: string } };
}

/** A refresh under `fault`; the store backs off after failures, so each case asks for one directly. */
async function refreshUnder(fault: Fault) {
  await proxy.set(fault);
  await cluster!.refresh();
  return cluster!.status();
}

beforeAll(async () => {
  // Something of our own to show, whatever else the broker holds.
  vhost = await createTestVhost('faults');
  await admin.put(`/api/queues/${encodeURIComponent(vhost)}/compute.node-1`, { durable: false, auto_delete: false, arguments: {} });
  proxy = await startFaultProxy(MANAGEMENT_URL);
  process.env.RABBITMQ_MANAGEMENT_URL = proxy.url;
  process.env.REQUEST_TIMEOUT_MS = String(TIMEOUT_MS);
  process.env.REFRESH_INTERVAL_MS = '1000';
  // Imported after the environment is set: the server reads its configuration once.
  cluster = (await import('@/lib/server/root')).root().clusters.get('default');
  overviewRoute = await import('@/app/api/v1/clusters/[cluster]/overview/route');
  queuesRoute = await import('@/app/api/v1/clusters/[cluster]/queues/route');
  await cluster!.refresh();
});

afterAll(async () => {
  await proxy?.close();
  if (vhost) await deleteTestVhost(vhost);
});

describe('a management API that fails', () => {
  it('starts from a good snapshot', () => {
    expect(cluster!.status()).toMatchObject({ stale: false, error: null });
  });

  const cases: [string, Fault, RegExp][] = [
    ['refuses the connection', { kind: 'refuse' }, /cannot reach the management API \((ECONNRESET|socket hang up)/],
    ['is slower than the timeout', { kind: 'delay', ms: TIMEOUT_MS + 2000 }, new RegExp(`did not answer .* in ${TIMEOUT_MS} ms`)],
    ['refuses the credentials', { kind: 'answer', status: 401, body: '{"error":"not_authorised","reason":"Login failed"}' }, /refused the credentials \(401\)/],
    ['forbids the user', { kind: 'answer', status: 403, body: '{"error":"not_authorised","reason":"Not monitor user"}' }, /may not read .* \(403\)/],
    ['fails inside', { kind: 'answer', status: 503, body: '{"error":"unavailable","reason":"node down"}' }, /answered 503 on .*: node down/],
    ['cuts the answer in the middle', { kind: 'cut', afterBytes: 300 }, /answer to GET \/api\/.* broke off|cannot reach the management API \((ECONNRESET|socket hang up)/],
    ['answers truncated JSON', { kind: 'answer', status: 200, body: '[{"name":"q1","vhost":"/"' }, /unexpected answer from GET \/api\//],
    ['answers JSON of the wrong shape', { kind: 'answer', status: 200, body: '{"surprise":true}' }, /unexpected answer from GET \/api\//],
    ['answers HTML', { kind: 'answer', status: 200, body: '<html>proxy login</html>', contentType: 'text/html' }, /unexpected answer from GET \/api\//],
  ];

  for (const [what, fault, message] of cases) {
    it(`${what}: the status says which request, why and since when; the last snapshot is still served`, async () => {
      const before = cluster!.status().fetchedAt;
      const status = await refreshUnder(fault);
      expect(status.stale).toBe(true);
      expect(status.error?.message).toMatch(message);
      expect(status.error?.request).toMatch(/^(GET|POST) \/api\//);
      expect(status.error?.since).toBeGreaterThan(0);
      expect(status.fetchedAt).toBe(before);

      // The API keeps answering with what it knew, and says it is stale and why.
      const overview = await api<OverviewResponse>(overviewRoute, '/api/v1/clusters/default/overview');
      expect(overview.httpStatus).toBe(200);
      expect(overview.body.status).toMatchObject({ stale: true, fetchedAt: before });
      expect(overview.body.status.error?.message).toMatch(message);
      expect(overview.body.totals.queues).toBeGreaterThan(0);
      const queues = await api<QueuesResponse>(queuesRoute, '/api/v1/clusters/default/queues?pageSize=5');
      expect(queues.httpStatus).toBe(200);
      expect(queues.body.items.length).toBeGreaterThan(0);

      // Back to normal: the next refresh recovers, and the failure is gone from the status.
      const recovered = await refreshUnder({ kind: 'pass' });
      expect(recovered).toMatchObject({ stale: false, error: null });
      expect(recovered.fetchedAt).toBeGreaterThan(before ?? 0);
    });
  }

  it('keeps the time a failure began across failing refreshes', async () => {
    const first = await refreshUnder({ kind: 'refuse' });
    await new Promise((r) => setTimeout(r, 20));
    const second = await refreshUnder({ kind: 'answer', status: 503, body: '{}' });
    expect(second.error?.since).toBe(first.error?.since);
    expect(second.error?.message).toMatch(/503/);
    await refreshUnder({ kind: 'pass' });
  });
});
