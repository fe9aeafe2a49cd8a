// The RabbitMQ 4.3 trap, live (only with E2E_NOVA=forky, against scripts/forky.sh's node; see
// playwright.config.ts): a real nova 33 with oslo.messaging's DEFAULT options on RabbitMQ 4.3 as
// Debian ships it (transient non-exclusive queues permitted) is healthy. The node is then restarted
// as upstream ships it (--deny: deprecated_features.permit.transient_nonexcl_queues = false): every
// service reconnects forever, each declaration refused, with no queue and no consumer in any list
// of the management API. The dashboard must still say so, in OpenStack terms. The node is restarted
// as it was afterwards.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import type { FindingsResponse, ServicesResponse, UpgradeResponse } from '../lib/api/schemas';
import { admin, AMQP_HOST, AMQP_PORT, eventually, MANAGEMENT_URL } from '../tests/helpers/broker';
import { type DashboardServer, startDashboard } from '../tests/helpers/dashboard-server';
import { type RealNova, startRealNova } from '../tests/helpers/real-nova';
import { SCREENSHOTS } from './cloud-info';

test.describe.configure({ mode: 'serial' });

const id = randomBytes(3).toString('hex');
const vhost = `nova-trap-${id}`;
let nova: RealNova;
let dashboard: DashboardServer;

async function api<T>(path: string): Promise<T> {
  return (await (await fetch(`${dashboard.url}/api/v1/clusters/default${path}`)).json()) as T;
}
const refused = async () => (await api<FindingsResponse>('/findings?limit=500')).findings.filter((f) => f.rule === 'clients-refused');

/** Restarts the 4.3 node (its data is not kept) and puts back the vhosts it had, with guest's permissions. */
function restartNode(deny: boolean, vhosts: readonly string[]) {
  execFileSync('bash', ['scripts/forky.sh', 'stop'], { stdio: 'inherit' });
  execFileSync('bash', ['scripts/forky.sh', 'start', ...(deny ? ['--deny'] : [])], { stdio: 'inherit' });
  // The management listener may take a moment longer than AMQP.
  return eventually(async () => {
    for (const v of vhosts) {
      await admin.put(`/api/vhosts/${encodeURIComponent(v)}`, {});
      await admin.put(`/api/permissions/${encodeURIComponent(v)}/guest`, { configure: '.*', write: '.*', read: '.*' });
    }
    return true;
  }, 60_000);
}
let vhostsBefore: string[] = [];

test.beforeAll(async () => {
  test.setTimeout(600_000);
  nova = await startRealNova({
    prefix: `lensnova_trap_${id}`,
    vhost,
    command: ['bash', 'scripts/forky.sh', 'nova'],
    env: { NOVA_MGMT_URL: MANAGEMENT_URL, NOVA_AMQP_URL: `amqp://guest:guest@${AMQP_HOST}:${AMQP_PORT}`, NOVA_PLACEMENT_PORT: '8779' },
  });
  dashboard = await startDashboard({ RABBITMQ_MANAGEMENT_URL: MANAGEMENT_URL, RABBITMQ_PROMETHEUS_URL: process.env.RABBITMQ_PROMETHEUS_URL ?? 'http://127.0.0.1:15760' });
});

test.afterAll(async () => {
  test.setTimeout(180_000);
  try {
    await nova?.stop();
  } finally {
    // As it was, for whatever runs after: permitted, with every vhost back.
    if (vhostsBefore.length) await restartNode(false, vhostsBefore.filter((v) => v !== vhost));
    await dashboard?.stop();
  }
});

test('as Debian ships 4.3 (permitted): nova with oslo defaults is healthy, and the upgrade page says its transient queues are past due', async () => {
  await expect
    .poll(async () => {
      const rows = (await api<ServicesResponse>(`/services?vhost=${vhost}&topic=compute`)).groups.flatMap((g) => g.rows);
      return nova.hosts.map((h) => rows.find((r) => r.host === h)?.status ?? 'missing');
    }, { timeout: 60_000 })
    .toEqual(nova.hosts.map(() => 'ok'));
  expect(await refused()).toEqual([]);
  const upgrade = await api<UpgradeResponse>('/upgrade');
  expect(upgrade.path).toMatchObject({ current: '4.3', hops: [] });
  expect(upgrade.changes.now).toBeGreaterThan(0);
  expect(upgrade.transientQueues.services.find((s) => s.vhost === vhost && s.binary === 'nova-compute')?.options.map((o) => o.name)).toContain('rabbit_transient_quorum_queue');
});

test('as upstream ships 4.3 (denied): no queue, no consumer, named by the churn and by what consumed before', async ({ page }) => {
  test.setTimeout(240_000);
  vhostsBefore = (await admin.get<{ name: string }[]>('/api/vhosts')).data.map((v) => v.name).filter((v) => v !== '/');
  await restartNode(true, vhostsBefore);
  const at = Date.now();
  let found: FindingsResponse['findings'] = [];
  await expect.poll(async () => (found = await refused()).length, { timeout: 180_000, intervals: [1000] }).toBe(1);
  console.log(`the 4.3 trap named after ${((Date.now() - at) / 1000).toFixed(0)} s: ${found[0]!.title}`);
  const f = found[0]!;
  expect(f.severity).toBe('critical');
  expect(f.title).toMatch(/^RabbitMQ 4\.3\.\d+ refuses what clients declare: connections opened and closed again and again, queues declared and not created — .*no longer consume anything$/);
  expect(Number(f.evidence['connections opened (per min)'])).toBeGreaterThan(5);
  for (const binary of ['nova-compute', 'nova-conductor', 'nova-scheduler']) expect(f.title).toContain(binary);
  for (const host of nova.hosts) expect(String(f.evidence['no longer consuming'])).toContain(host);
  expect(f.explanation).toMatch(/rabbit_transient_quorum_queue = true/);
  // What the management API lists of nova: no queue, no consumer (at most the connections it only publishes on).
  expect((await admin.get<unknown[]>(`/api/queues/${vhost}`)).data).toEqual([]);
  expect((await admin.get<unknown[]>(`/api/consumers/${vhost}`)).data).toEqual([]);

  await page.goto(`${dashboard.url}/findings`);
  await expect(page.getByRole('main')).toContainText('refuses what clients declare');
  await page.screenshot({ path: `${SCREENSHOTS}/rabbitmq43-trap-findings.png`, fullPage: true });
});
