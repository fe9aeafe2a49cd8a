// A REAL nova (Debian 12: nova 26.2, placement 8.0, oslo.messaging 14.0.3; scripts/nova.sh) on the
// suite's broker, read by a dashboard of its own with the default settings: every RPC server on its
// host and every process named, the ping answered by a real nova-compute, the upgrade verdict, and
// the seed's three faults (killed, frozen with a call waiting, up but doing nothing), each named
// right the first time, journalled and shown on its host page. With E2E_NOVA=forky the same runs
// on RabbitMQ 4.3 with nova 33 (oslo.messaging 18.3) from a Debian forky root (scripts/forky.sh),
// with kolla-ansible's options: quorum queues, transient quorum, stream fanout, the queue manager.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { expect, test } from '@playwright/test';
import type { FindingsResponse, HostDetailResponse, JournalResponse, ProcessesResponse, ServicesResponse, UpgradeResponse } from '../lib/api/schemas';
import { admin, AMQP_HOST, AMQP_PORT, MANAGEMENT_URL } from '../tests/helpers/broker';
import { type DashboardServer, startDashboard } from '../tests/helpers/dashboard-server';
import { liftConnectionLimit, novaFaults, type RealNova, startRealNova, thaw } from '../tests/helpers/real-nova';
import { SCREENSHOTS } from './cloud-info';

test.describe.configure({ mode: 'serial' });

/** Which real OpenStack: Debian 12's nova 26 with oslo's defaults on the suite's 3.10, or (E2E_NOVA=forky) nova 33 with kolla-ansible's options on 4.3. */
const STACK: { command: string[] | undefined; env: Record<string, string>; version: RegExp; shots: string; transientQueues: boolean } =
  process.env.E2E_NOVA === 'forky'
    ? { command: ['bash', 'scripts/forky.sh', 'nova'], env: { NOVA_OSLO_OPTIONS: 'kolla', NOVA_PLACEMENT_PORT: '8779' }, version: /^4\.3\./, shots: 'real-nova33', transientQueues: false }
    : { command: undefined, env: {}, version: /^3\.10\./, shots: 'real-nova', transientQueues: true };

const id = randomBytes(3).toString('hex');
const vhost = `nova-e2e-${id}`;
let nova: RealNova;
let dashboard: DashboardServer;
const prometheus = process.env.RABBITMQ_PROMETHEUS_URL ?? 'http://127.0.0.1:15692';

/** The parent's pid, from /proc (the dashboard and nova run on this machine). */
function parentOf(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
  } catch {
    return null;
  }
}

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${dashboard.url}/api/v1/clusters/default${path}`, init);
  return (await res.json()) as T;
}
const findingsOn = async (queue: string) => (await api<FindingsResponse>(`/findings?vhost=${vhost}&limit=500`)).findings.filter((f) => f.subject.type === 'queue' && f.subject.name === queue);
/** Every title the journal ever raised for a finding about this queue: the first name given is the one that counts. */
async function raisedTitles(queue: string): Promise<string[]> {
  const journal = await api<JournalResponse>(`/journal?vhost=${vhost}&kind=finding-raised&range=1h`);
  return journal.groups.flatMap((g) => g.entries).filter((e) => e.subject.type === 'finding' && e.subject.about.type === 'queue' && e.subject.about.name === queue).map((e) => e.after ?? '');
}
const probe = (server: string, timeoutMs?: number) =>
  api<{ status: string; detail: string }>('/probe', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ vhost, exchange: 'nova', topic: 'compute', server, timeoutMs }),
  });
/** Polls until a finding about the queue exists; returns it with the seconds since `from`. */
async function firstFinding(queue: string, from: number) {
  let found: FindingsResponse['findings'] = [];
  await expect.poll(async () => (found = await findingsOn(queue)).length, { timeout: 90_000, intervals: [500] }).toBeGreaterThan(0);
  const seconds = (Date.now() - from) / 1000;
  console.log(`real nova: ${found[0]!.rule} on ${queue} after ${seconds.toFixed(1)} s: ${found[0]!.title}`);
  return found[0]!;
}

test.beforeAll(async () => {
  test.setTimeout(600_000);
  nova = await startRealNova({
    prefix: `lensnova_e2e_${id}`,
    vhost,
    command: STACK.command,
    env: { NOVA_MGMT_URL: MANAGEMENT_URL, NOVA_AMQP_URL: `amqp://guest:guest@${AMQP_HOST}:${AMQP_PORT}`, ...STACK.env },
  });
  dashboard = await startDashboard({
    RABBITMQ_MANAGEMENT_URL: MANAGEMENT_URL,
    RABBITMQ_PROMETHEUS_URL: prometheus,
    RABBITMQ_AMQP_URL: `amqp://guest:guest@${AMQP_HOST}:${AMQP_PORT}/${vhost}`,
  });
});

test.afterAll(async () => {
  test.setTimeout(120_000);
  try {
    if (nova) {
      await liftConnectionLimit(admin, vhost);
      for (const host of nova.hosts) {
        try {
          thaw(nova.pidOf(`nova-compute-${host}`));
        } catch {
          // killed by the test
        }
      }
      await nova.stop();
    }
  } finally {
    await dashboard?.stop();
  }
});

test('every nova RPC server on its host, every process named by binary, pid and host, nothing critical', async ({ page }) => {
  const servers = [
    { topic: 'conductor', host: hostname(), program: 'nova-conductor' },
    { topic: 'scheduler', host: hostname(), program: 'nova-scheduler' },
    ...nova.hosts.map((host) => ({ topic: 'compute', host, program: `nova-compute-${host}` })),
  ];
  await expect
    .poll(async () => {
      const rows = (await api<ServicesResponse>(`/services?vhost=${vhost}`)).groups.flatMap((g) => g.rows);
      return servers.map((s) => rows.find((r) => r.topic === s.topic && r.host === s.host)?.status ?? 'missing');
    }, { timeout: 60_000 })
    .toEqual(servers.map(() => 'ok'));

  const processes = (await api<ProcessesResponse>(`/processes?vhost=${vhost}&limit=100`)).items;
  for (const s of servers) {
    const binary = s.program.startsWith('nova-compute') ? 'nova-compute' : s.program;
    // nova 33's scheduler serves from a worker it forks even with workers = 1: the pid its connections carry is that child's.
    const named = processes.filter((p) => p.binary === binary && p.host === s.host && p.pid !== null && [p.pid, parentOf(p.pid)].includes(nova.pidOf(s.program)));
    expect(named.map((p) => ({ binary: p.binary, host: p.host, oslo: p.oslo })), s.program).toEqual([{ binary, host: s.host, oslo: true }]);
  }
  const critical = (await api<FindingsResponse>(`/findings?vhost=${vhost}&limit=500`)).findings.filter((f) => f.severity === 'critical');
  expect(critical.map((f) => f.title)).toEqual([]);

  await page.goto(`${dashboard.url}/services?vhost=${vhost}`);
  for (const host of nova.hosts) await expect(page.getByRole('main')).toContainText(host);
  await page.screenshot({ path: `${SCREENSHOTS}/${STACK.shots}-services.png`, fullPage: true });
  await page.goto(`${dashboard.url}/components/nova`);
  await expect(page.getByRole('main')).toContainText('compute');
  await page.screenshot({ path: `${SCREENSHOTS}/${STACK.shots}-component.png`, fullPage: true });
});

test('the ping is answered by a real nova-compute (BaseAPI.ping)', async () => {
  const result = await probe(nova.hosts[0]!);
  expect(result, result.detail).toMatchObject({ status: 'alive' });
});

test('the upgrade page: every nova-compute counted, with the transient queues oslo declares by default (none with kolla\'s options)', async ({ page }) => {
  const upgrade = await api<UpgradeResponse>('/upgrade');
  expect(upgrade.rabbitmqVersion).toMatch(STACK.version);
  const computes = upgrade.services.find((s) => s.vhost === vhost && s.binary === 'nova-compute');
  expect(computes?.processes).toBe(nova.hosts.length);
  if (STACK.transientQueues) expect(computes?.transientQueues).toBeGreaterThan(0);
  else expect(computes?.transientQueues).toBe(0);
  await page.goto(`${dashboard.url}/upgrade`);
  await expect(page.getByRole('main')).toContainText('nova-compute');
  await page.screenshot({ path: `${SCREENSHOTS}/${STACK.shots}-upgrade.png`, fullPage: true });
});

// Each fault named right the first time: the finding and every title the journal raised for it.
for (const name of ['killed', 'frozen', 'up but does nothing'] as const) {
  test(`${name}: found, named right the first time, journalled, shown on its host page`, async ({ page }) => {
    const fault = novaFaults(nova, admin, async (host) => expect((await probe(host, 3000)).status).toBe('timeout')).find((f) => f.name === name)!;
    const at = Date.now();
    await fault.inflict();
    const f = await firstFinding(fault.queue, at);
    expect({ rule: f.rule, title: f.title }).toEqual({ rule: fault.rule, title: expect.stringMatching(fault.title) });
    await expect.poll(() => raisedTitles(fault.queue)).not.toEqual([]);
    for (const title of await raisedTitles(fault.queue)) expect(title).toMatch(fault.title);
    if (name === 'up but does nothing') {
      // nova's own services table: the compute still reports its state through the conductor (every 10 s).
      await expect.poll(async () => ((await nova.lastReport(fault.host))?.getTime() ?? 0) > at, { timeout: 30_000 }).toBe(true);
      expect(f.evidence['connected processes']).toContain(`pid ${nova.pidOf(`nova-compute-${fault.host}`)}`);
    }
    const detail = await api<HostDetailResponse>(`/hosts/${fault.host}`);
    expect(detail.findings.map((x) => x.title)).toContainEqual(expect.stringMatching(fault.title));
    await page.goto(`${dashboard.url}/hosts/${fault.host}`);
    await expect(page.getByRole('main')).toContainText(fault.title, { timeout: 30_000 });
    await page.screenshot({ path: `${SCREENSHOTS}/${STACK.shots}-${name.replaceAll(' ', '-')}-host.png`, fullPage: true });
  });
}
