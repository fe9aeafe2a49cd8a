// Offline captures, round trip: a simulated cloud with one compute host up but doing nothing
// and a message waiting for it; a dashboard reading it as a monitoring user with a password
// of its own; its capture downloaded; a second dashboard opening that capture as a read-only
// cluster, with the same findings and counts, and neither password nor message in the file.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClustersResponse, FindingsResponse, HistoryResponse, JournalResponse, OverviewResponse, ServicesResponse } from '@/lib/api/schemas';
import { decodeCapture } from '@/lib/server/capture';
import { startCloud, type CloudHandle } from '@/sim/cloud';
import { applyFault, parseFault } from '@/sim/faults';
import { loadScenario } from '@/sim/scenario';
import { admin, amqpUrl, createTestVhost, deleteTestVhost, eventually, MANAGEMENT_URL } from '../helpers/broker';
import { type DashboardServer, startDashboard } from '../helpers/dashboard-server';

const ROOT = path.resolve(__dirname, '../..');
const user = `lens-capture-${randomBytes(3).toString('hex')}`;
const password = `pw-${randomBytes(12).toString('hex')}`;
const MESSAGE_MARKER = `body-${randomBytes(8).toString('hex')}`;
const dir = mkdtempSync(path.join(tmpdir(), 'lens-capture-'));
let vhost: string;
let cloud: CloudHandle;
let live: DashboardServer;
let offline: DashboardServer;
let file: Buffer;
let before: { overview: OverviewResponse; findings: FindingsResponse };

const env = () => ({
  RABBITMQ_MANAGEMENT_URL: MANAGEMENT_URL,
  RABBITMQ_USERNAME: user,
  RABBITMQ_PASSWORD: password,
  REFRESH_INTERVAL_MS: '1000',
  FINDINGS_GRACE_MS: '2000',
});
const get = async <T>(base: string, p: string): Promise<T> => (await (await fetch(`${base}${p}`)).json()) as T;
const secrets = () => [password, Buffer.from(`${user}:${password}`).toString('base64'), MESSAGE_MARKER];

beforeAll(async () => {
  vhost = await createTestVhost('capture');
  await admin.put(`/api/users/${user}`, { password, tags: 'monitoring' });
  await admin.put(`/api/permissions/${encodeURIComponent(vhost)}/${user}`, { configure: '^$', write: '^$', read: '.*' });
  cloud = await startCloud(await loadScenario(path.resolve(ROOT, 'sim/scenarios/test.json')), { amqpUrl: amqpUrl(vhost), traffic: false });
  await applyFault(cloud, parseFault('not-consuming:nova-compute@node-1'));
  const conn = await amqp.connect(amqpUrl(vhost));
  const ch = await conn.createConfirmChannel();
  ch.publish('', 'compute.node-1', Buffer.from(JSON.stringify({ 'oslo.message': MESSAGE_MARKER })));
  await ch.waitForConfirms();
  await conn.close();
  live = await startDashboard(env());
});

afterAll(async () => {
  await live?.stop();
  await offline?.stop();
  await cloud?.stop();
  await admin.delete(`/api/users/${user}`, { validateStatus: () => true });
  if (vhost) await deleteTestVhost(vhost);
});

describe('an offline capture', () => {
  it('is downloaded as gzipped JSON holding the findings, with no password and no message in it', async () => {
    before = await eventually(async () => {
      const findings = await get<FindingsResponse>(live.url, `/api/v1/clusters/default/findings?vhost=${encodeURIComponent(vhost)}&queue=compute.node-1`);
      const overview = await get<OverviewResponse>(live.url, '/api/v1/clusters/default/overview');
      const services = await get<ServicesResponse>(live.url, `/api/v1/clusters/default/services?vhost=${encodeURIComponent(vhost)}&q=node-1`);
      // The management API counts the waiting message by its statistics interval: wait until the finding does too,
      // and until the service list has placed the idle nova-compute on its host.
      const settled =
        findings.findings?.some((f) => f.rule === 'rpc-server-unconsumed' && f.evidence.waiting === 1) &&
        overview.totals.queues > 0 &&
        services.groups?.flatMap((g) => g.rows).find((r) => r.serverQueue === 'compute.node-1')?.status === 'not-consuming';
      return settled ? { findings, overview } : null;
    }, 45_000);
    const res = await fetch(`${live.url}/api/v1/clusters/default/capture?range=15m`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/gzip');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="rabbit-lens-default-\d{4}-\d\d-\d\dT[\d-]+Z\.json\.gz"$/);
    file = Buffer.from(await res.arrayBuffer());
    const text = gunzipSync(file).toString('utf8');
    expect(text).toContain('compute.node-1');
    expect(text).toContain('rpc-server-unconsumed');
    for (const secret of secrets()) expect(text).not.toContain(secret);
    // The queue's length is in it, not what waits there.
    const capture = decodeCapture(file);
    expect(capture.inputs.queues.find((q) => q.vhost === vhost && q.name === 'compute.node-1')?.messagesReady).toBe(1);
    // And the time before it: the journal and history of the 15 minutes picked.
    expect(capture.time?.to).toBe(capture.capturedAt);
    expect(capture.time?.from).toBe(capture.capturedAt - 15 * 60_000);
    expect(capture.time?.journal.some((e) => e.kind === 'finding-raised' && e.queue === 'compute.node-1' && e.vhost === vhost)).toBe(true);
    expect(capture.time?.series.find((x) => x.scope === 'global')?.points.length).toBeGreaterThan(0);
  });

  it('opens in another dashboard as a read-only cluster: the same findings and counts, the capture time shown, nothing live', async () => {
    const capturePath = path.join(dir, 'support.json.gz');
    writeFileSync(capturePath, file);
    writeFileSync(path.join(dir, 'broken.json.gz'), 'not a capture at all');
    writeFileSync(
      path.join(dir, 'clusters.yaml'),
      `clusters:\n  - { id: support, name: From the customer, capture: ${capturePath} }\n  - { id: broken, capture: ${path.join(dir, 'broken.json.gz')} }\n`,
    );
    offline = await startDashboard({ DASHBOARD_CONFIG: path.join(dir, 'clusters.yaml') });
    const { capturedAt } = decodeCapture(file);

    const overview = await get<OverviewResponse>(offline.url, '/api/v1/clusters/support/overview');
    expect(overview.status).toMatchObject({ fetchedAt: capturedAt, capturedAt, stale: false, error: null });
    expect(overview.totals).toMatchObject({
      queues: before.overview.totals.queues,
      connections: before.overview.totals.connections,
      processes: before.overview.totals.processes,
      consumers: before.overview.totals.consumers,
    });
    const findings = await get<FindingsResponse>(offline.url, `/api/v1/clusters/support/findings?vhost=${encodeURIComponent(vhost)}&queue=compute.node-1`);
    expect(findings.findings.map((f) => [f.id, f.severity, f.since])).toEqual(before.findings.findings.map((f) => [f.id, f.severity, f.since]));
    const services = await get<ServicesResponse>(offline.url, `/api/v1/clusters/support/services?vhost=${encodeURIComponent(vhost)}&q=node-1`);
    const row = services.groups.flatMap((g) => g.rows).find((r) => r.serverQueue === 'compute.node-1');
    expect(row?.status, `compute.node-1 in the capture: ${row?.statusReason}`).toBe('not-consuming');

    const list = await get<ClustersResponse>(offline.url, '/api/v1/clusters');
    expect(list.clusters.find((c) => c.id === 'support')).toMatchObject({ name: 'From the customer', capturedAt, managementUrl: MANAGEMENT_URL });
    expect(list.clusters.find((c) => c.id === 'support')?.actions).toMatchObject({ probe: { enabled: false }, peek: { enabled: false } });
    expect((await fetch(`${offline.url}/c/support/services`)).status).toBe(200);
    // Its timeline and history are the capture's, read back from when it was taken.
    const journal = await get<JournalResponse>(offline.url, `/api/v1/clusters/support/journal?${new URLSearchParams({ vhost, queue: 'compute.node-1', range: '15m' })}`);
    expect(journal.store.state).toBe('ok');
    expect(journal.groups.flatMap((g) => g.entries).map((e) => e.kind)).toContain('finding-raised');
    const history = await get<HistoryResponse>(offline.url, '/api/v1/clusters/support/history?scope=global&range=15m');
    expect(history.to).toBe(capturedAt);
    expect(history.points.length).toBeGreaterThan(0);
    // Not a live broker: no time series of it.
    expect(await (await fetch(`${offline.url}/metrics`)).text()).not.toContain('cluster="support"');
    // A damaged file says so, on its own cluster only.
    const broken = await fetch(`${offline.url}/api/v1/clusters/broken/overview`);
    expect(broken.status).toBe(503);
    expect(((await broken.json()) as { error: string }).error).toMatch(/capture .*broken\.json\.gz: not a capture/);
  });

  it('is also written by `npm run snapshot`, with the findings settled', async () => {
    const out = path.join(dir, 'from-script.json.gz');
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'snapshot', '--', '--out', out], {
      cwd: ROOT,
      env: { ...process.env, ...env() },
      timeout: 120_000,
    });
    expect(stdout).toMatch(/snapshot: .*from-script\.json\.gz: \d+ queues, \d+ connections, [1-9]\d* findings?, \d+ kB/);
    const written = readFileSync(out);
    const capture = decodeCapture(written);
    expect(capture.inputs.queues.some((q) => q.vhost === vhost && q.name === 'compute.node-1')).toBe(true);
    expect(capture.findings.open.some((f) => f.rule === 'rpc-server-unconsumed' && f.subject.type === 'queue' && f.subject.name === 'compute.node-1')).toBe(true);
    const text = gunzipSync(written).toString('utf8');
    for (const secret of secrets()) expect(text).not.toContain(secret);
  });
});
