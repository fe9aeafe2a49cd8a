// What the store remembers, through the built dashboard: a compute host stops consuming, and the
// journal says when and who, the queue's history shows its consumers drop, the host page shows it
// all; with the broker unreachable and after a restart the journal and history still answer.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingsResponse, HistoryResponse, HostDetailResponse, JournalResponse } from '@/lib/api/schemas';
import { queueSeriesKey } from '@/lib/domain/series';
import { startCloud, type CloudHandle } from '@/sim/cloud';
import { parseScenario } from '@/sim/scenario';
import { amqpUrl, createTestVhost, deleteTestVhost, eventually, MANAGEMENT_URL } from '../helpers/broker';
import { type DashboardServer, startDashboard } from '../helpers/dashboard-server';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy';

const api = '/api/v1/clusters/default';
const store = path.join(mkdtempSync(path.join(tmpdir(), 'lens-history-api-')), 'history.sqlite');
let vhost: string;
let cloud: CloudHandle;
let proxy: FaultProxy;
let dashboard: DashboardServer | undefined;
let stoppedAt = 0;

const env = () => ({ RABBITMQ_MANAGEMENT_URL: proxy.url, REFRESH_INTERVAL_MS: '1000', FINDINGS_GRACE_MS: '2000', HISTORY_STORE: store });
async function get<T>(p: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${dashboard!.url}${api}${p}`);
  return { status: res.status, body: (await res.json()) as T };
}
const journalOf = (q: Record<string, string>) => get<JournalResponse>(`/journal?${new URLSearchParams(q)}`);
const entries = (j: JournalResponse) => j.groups.flatMap((g) => g.entries);

beforeAll(async () => {
  vhost = await createTestVhost('history');
  cloud = await startCloud(
    parseScenario({
      hosts: [{ name: 'hv-7', address: '127.0.7.7', services: ['nova-compute'] }],
      controllers: [{ name: 'ctl-7', address: '127.0.7.1', services: ['nova-conductor'] }],
      traffic: { notificationConsumer: false },
    }),
    { amqpUrl: amqpUrl(vhost), traffic: false },
  );
  proxy = await startFaultProxy(MANAGEMENT_URL);
  dashboard = await startDashboard(env());
  // The dashboard knows the compute process as the consumer of its queue before it stops.
  await eventually(async () => {
    const { body } = await get<HostDetailResponse>('/hosts/hv-7');
    return body.services?.some((s) => s.serverQueue === 'compute.hv-7' && s.processes.some((p) => p.binary === 'nova-compute'));
  }, 60_000);
  // And its history has it consumed: a 5 s point holds what the first refresh in it saw.
  await eventually(async () => {
    const { body } = await get<HistoryResponse>(`/history?${new URLSearchParams({ scope: 'queue', key: queueSeriesKey(vhost, 'compute.hv-7'), range: '15m' })}`);
    return body.points?.some((p) => p.consumers === 1);
  }, 60_000);
  stoppedAt = Date.now();
  await cloud.process('nova-compute', 'hv-7').stopConsuming('compute.hv-7');
}, 120_000);

afterAll(async () => {
  await dashboard?.stop();
  await proxy?.close();
  await cloud?.stop();
  if (vhost) await deleteTestVhost(vhost);
});

describe('the journal and the history, through the API', () => {
  it('writes down when the queue lost its consumer, and which process it was', async () => {
    const pid = cloud.process('nova-compute', 'hv-7').pid;
    const lost = await eventually(async () => {
      const { body } = await journalOf({ vhost, queue: 'compute.hv-7', range: '15m' });
      return entries(body).find((e) => e.kind === 'consumer-lost');
    });
    expect(lost).toMatchObject({ binary: 'nova-compute', host: 'hv-7', vhost, queue: 'compute.hv-7', subject: { type: 'queue', vhost, name: 'compute.hv-7' } });
    expect(lost.process).toContain(`:${pid}@`);
    // After the consumer was cancelled, and no later than now.
    expect(lost.at).toBeGreaterThanOrEqual(stoppedAt);
    expect(lost.at).toBeLessThanOrEqual(Date.now());
    // The finding it raised is in the journal too, narrowed by host and kind.
    const raised = await eventually(async () => {
      const { body } = await journalOf({ host: 'hv-7', kind: 'finding-raised', range: '15m' });
      return entries(body).find((e) => e.subject.type === 'finding' && e.subject.rule === 'rpc-server-unconsumed');
    });
    // Raised once, as what it is (the host's whole journal, should it say otherwise).
    const said = entries((await journalOf({ host: 'hv-7', range: '15m' })).body).map((e) => `${e.at - stoppedAt} ms ${e.kind} ${e.after ?? e.before ?? ''}`);
    expect(raised.after, said.join('\n')).toMatch(/up but does nothing/);
    expect(raised.at).toBeGreaterThanOrEqual(lost.at);
    // Only the kinds asked for.
    const { body: onlyRaised } = await journalOf({ host: 'hv-7', kind: 'finding-raised', range: '15m' });
    expect(new Set(entries(onlyRaised).map((e) => e.kind))).toEqual(new Set(['finding-raised']));
    expect(entries(onlyRaised).filter((e) => e.subject.type === 'finding' && e.subject.rule === 'rpc-server-unconsumed'), said.join('\n')).toHaveLength(1);
  });

  it("charts the queue's consumers going from one to none, with the event marked", async () => {
    const key = queueSeriesKey(vhost, 'compute.hv-7');
    const history = await eventually(async () => {
      const { body } = await get<HistoryResponse>(`/history?${new URLSearchParams({ scope: 'queue', key, range: '15m' })}`);
      const counts = body.points.map((p) => p.consumers);
      return counts.includes(1) && counts.at(-1) === 0 && body.events.some((e) => e.kind === 'consumer-lost') ? body : null;
    });
    expect(history.store.state).toBe('ok');
    expect(history.stepMs).toBe(5000);
    expect(history.points.every((p, i, all) => i === 0 || p.t > all[i - 1]!.t)).toBe(true);
  });

  it('shows the host: its not-consuming RPC server, its still connected process', async () => {
    const { status, body } = await get<HostDetailResponse>('/hosts/hv-7');
    expect(status).toBe(200);
    const service = body.services.find((s) => s.serverQueue === 'compute.hv-7');
    expect(service?.status).toBe('not-consuming');
    expect(body.processes.map((p) => p.process.binary)).toContain('nova-compute');
    // A host that is not there answers too, empty: its history stays reachable.
    const gone = await get<HostDetailResponse>('/hosts/no-such-host');
    expect(gone.status).toBe(200);
    expect(gone.body).toMatchObject({ host: 'no-such-host', processes: [], services: [], otherQueues: [], findings: [] });
  });

  it('refuses what it cannot answer, saying why', async () => {
    const cases: [string, RegExp][] = [
      ['/journal?kind=queue-exploded', /unknown kind queue-exploded/],
      ['/journal?range=2h', /range/],
      ['/journal?from=2000&to=1000', /from must be before to/],
      ['/journal?range=1h&from=1000', /either range or from\/to/],
      ['/history?scope=planet&key=x', /scope/],
      ['/history?scope=queue&key=x&colour=red', /unknown query parameter "colour"/],
    ];
    for (const [p, message] of cases) {
      const { status, body } = await get<{ error: string }>(p);
      expect(status, p).toBe(400);
      expect(body.error, p).toMatch(message);
    }
  });

  it('answers while the broker cannot be reached, and after a restart of the dashboard', async () => {
    await proxy.set({ kind: 'refuse' });
    await eventually(async () => (await get<{ status: { stale: boolean } }>('/overview')).body.status?.stale === true);
    const during = await journalOf({ vhost, queue: 'compute.hv-7', range: '15m' });
    expect(during.status).toBe(200);
    expect(during.body.store.state).toBe('ok');
    expect(entries(during.body).map((e) => e.kind)).toContain('consumer-lost');

    await proxy.set({ kind: 'pass' });
    const raised = entries((await journalOf({ vhost, queue: 'compute.hv-7', kind: 'finding-raised', range: '15m' })).body)[0]!;
    await dashboard!.stop();
    const restartedAt = Date.now();
    dashboard = await startDashboard(env());
    const after = await journalOf({ vhost, queue: 'compute.hv-7', range: '15m' });
    expect(entries(after.body).map((e) => e.kind)).toContain('consumer-lost');
    const history = await get<HistoryResponse>(`/history?${new URLSearchParams({ scope: 'queue', key: queueSeriesKey(vhost, 'compute.hv-7'), range: '15m' })}`);
    expect(history.body.points.map((p) => p.consumers)).toContain(1);
    // The finding still holds: it keeps its real start from before the restart, raised once.
    const finding = await eventually(async () => {
      const { body } = await get<FindingsResponse>(`/findings?${new URLSearchParams({ vhost, queue: 'compute.hv-7' })}`);
      return body.findings?.find((f) => f.rule === 'rpc-server-unconsumed' && f.since < restartedAt);
    });
    expect(finding.since).toBe(raised.at);
    expect(finding.raised24h).toBe(1);
  }, 90_000);

  it('with a store that cannot be used, says why, and the live dashboard keeps working', async () => {
    const corrupt = path.join(mkdtempSync(path.join(tmpdir(), 'lens-corrupt-')), 'history.sqlite');
    writeFileSync(corrupt, 'not a database'.repeat(100));
    const broken = await startDashboard({ REFRESH_INTERVAL_MS: '1000', HISTORY_STORE: corrupt });
    try {
      const ask = async <T>(p: string) => (await fetch(`${broken.url}${api}${p}`)).json() as Promise<T>;
      const overview = await eventually(async () => {
        const body = await ask<{ totals?: { queues: number } }>('/overview');
        return body.totals ? body : null;
      });
      expect(overview.totals!.queues).toBeGreaterThan(0);
      const journal = await eventually(async () => {
        const body = await ask<JournalResponse>('/journal?range=15m');
        return body.store.state === 'unavailable' ? body : null;
      });
      expect(journal.store.reason).toMatch(/corrupt|not a database/);
      const history = await ask<HistoryResponse>('/history?scope=global&range=1h');
      expect(history.store.state).toBe('unavailable');
      expect(history.points).toEqual([]);
      expect(readFileSync(corrupt, 'utf8')).toMatch(/^not a database/);
    } finally {
      await broken.stop();
    }
  }, 90_000);
});
