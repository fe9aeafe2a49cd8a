// The journal against a real oslo.messaging: an RPC server that stops serving (its consumer
// cancelled, as a hung nova-compute's is) is written down as "consumer lost", with its process,
// at a time between the stop and the moment the journal is read.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostDetailResponse, JournalResponse } from '@/lib/api/schemas';
import { createTestVhost, deleteTestVhost, eventually } from '../helpers/broker';
import { type DashboardServer, startDashboard } from '../helpers/dashboard-server';
import { startOsloServer, stopOsloChildren } from '../helpers/oslo';

const api = '/api/v1/clusters/default';
let vhost: string;
let server: ChildProcess;
let dashboard: DashboardServer;

async function get<T>(p: string): Promise<T> {
  return (await (await fetch(`${dashboard.url}${api}${p}`)).json()) as T;
}

beforeAll(async () => {
  vhost = await createTestVhost('journal-oslo');
  server = await startOsloServer(vhost, 'nova', 'compute', 'hv-oslo');
  dashboard = await startDashboard({ REFRESH_INTERVAL_MS: '1000', FINDINGS_GRACE_MS: '2000' });
}, 120_000);

afterAll(async () => {
  await dashboard?.stop();
  await stopOsloChildren();
  if (vhost) await deleteTestVhost(vhost);
});

describe('the journal of a real oslo.messaging RPC server', () => {
  it('says "consumer lost" when it stops serving, with its process, at the right time', async () => {
    // Known as the consumer of its per-server queue first.
    await eventually(async () => {
      const host = await get<HostDetailResponse>('/hosts/hv-oslo');
      return host.services?.some((s) => s.vhost === vhost && s.serverQueue === 'compute.hv-oslo' && s.processes.some((p) => p.pid === server.pid));
    }, 60_000);

    let output = '';
    server.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    const stoppedFrom = Date.now();
    server.kill('SIGUSR1');
    await eventually(async () => output.includes('STOPPED-SERVING'), 30_000);

    const lost = await eventually(async () => {
      const journal = await get<JournalResponse>(`/journal?${new URLSearchParams({ vhost, queue: 'compute.hv-oslo', kind: 'consumer-lost', range: '15m' })}`);
      return journal.groups.flatMap((g) => g.entries)[0];
    });
    const readAt = Date.now();
    expect(lost).toMatchObject({ kind: 'consumer-lost', vhost, queue: 'compute.hv-oslo', host: 'hv-oslo' });
    expect(lost.process).toContain(`:${server.pid}@`);
    expect(lost.at).toBeGreaterThanOrEqual(stoppedFrom);
    expect(lost.at).toBeLessThanOrEqual(readAt);
  }, 120_000);
});
