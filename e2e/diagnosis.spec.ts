// Diagnosis in a real browser: a compute host that is connected but does not
// consume its per-server queue, seen from the overview, explained on the
// findings page, confirmed by a ping that times out; a healthy host pings alive.
import { expect, test, type Page } from '@playwright/test';
import type { FindingsResponse, ServicesResponse } from '../lib/api/schemas';
import { findingsHref, inCluster, queueHref, servicesHref } from '../lib/client/links';
import { startCloud, type CloudHandle } from '../sim/cloud';
import { parseScenario } from '../sim/scenario';
import { amqpUrl, createTestVhost, deleteTestVhost } from '../tests/helpers/broker';
import { cloudInfo, SCREENSHOTS } from './cloud-info';

const api = '/api/v1/clusters/default';
let vhost: string;
let cloud: CloudHandle | undefined;
let host: string;
let serverQueue: string;
const controller = 'diag-ctl';
const WAITING = 3;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  vhost = await createTestVhost('diag');
  host = `cmp-${vhost.slice(-8)}`;
  serverQueue = `compute.${host}`;
  const scenario = parseScenario({
    name: 'diagnosis',
    hosts: [{ name: host, address: '127.0.9.21', services: ['nova-compute'] }],
    controllers: [{ name: controller, address: '127.0.9.31', services: ['nova-conductor'] }],
    traffic: { callsPerSecond: 0, castsPerSecond: 0, fanoutCastsPerSecond: 0, notificationsPerSecond: 0, notificationConsumer: false },
  });
  cloud = await startCloud(scenario, { amqpUrl: amqpUrl(vhost), traffic: false });
  // Let the dashboard see the consumer first, as it would in a real cloud, then take it away.
  await expect
    .poll(async () => {
      const body = (await (await request.get(`${api}/services?${new URLSearchParams({ topic: 'compute', vhost, q: host })}`)).json()) as ServicesResponse;
      const row = body.groups.flatMap((g) => g.rows).find((r) => r.host === host);
      // Known as consumed by its process, not only counted: the management API may learn who
      // consumes seconds after the plugin counts the consumer.
      return row ? `${row.status} by ${row.processes.map((p) => p.binary).join(',')}` : 'absent';
    }, { timeout: 60_000 })
    .toBe('ok by nova-compute');
  await cloud.process('nova-compute', host).stopConsuming(serverQueue);
  const conductor = cloud.process('nova-conductor', controller);
  for (let i = 0; i < WAITING; i++) await conductor.cast('nova', 'compute', host, 'build_and_run_instance', { instance: `vm-${i}` });
  await expect
    .poll(async () => {
      const body = (await (await request.get(`${api}/findings`)).json()) as FindingsResponse;
      return body.findings.find((f) => f.rule === 'rpc-server-unconsumed' && f.subject.type === 'queue' && f.subject.vhost === vhost && f.subject.name === serverQueue)?.severity ?? 'none';
    }, { timeout: 30_000 })
    .toBe('critical');
});

test.afterAll(async () => {
  await cloud?.stop();
  if (vhost) await deleteTestVhost(vhost);
});

test('from the overview to why the host will not start VMs, confirmed by a ping', async ({ page }) => {
  // The overview says it first.
  await page.goto('/');
  const panel = page.getByTestId('findings-panel');
  const mine = panel.locator(`[data-testid=finding][data-host="${host}"]`).filter({ hasText: serverQueue });
  await expect(mine).toBeVisible();
  await expect(mine).toHaveAttribute('data-severity', 'critical');
  await expect(mine).toContainText(/up but does nothing/);
  await expect(page.getByTestId('findings-badge')).toBeVisible();
  await shot(page, 'overview-findings');

  // Open it: the findings page explains why.
  await mine.getByRole('link', { name: /up but does nothing/ }).click();
  await expect(page).toHaveURL(/\/findings\?focus=/);
  const full = page.locator(`[data-testid=finding][data-host="${host}"][data-rule=rpc-server-unconsumed]`);
  await expect(full).toBeVisible();
  const explanation = full.getByTestId('finding-explanation');
  await expect(explanation).toContainText(/still connected/);
  await expect(explanation).toContainText(new RegExp(`nothing consumes ${serverQueue.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  await expect(full.getByLabel('evidence')).toContainText(`waiting${WAITING}`);
  await expect(full.getByRole('link', { name: serverQueue })).toHaveAttribute('href', inCluster('default', queueHref(vhost, serverQueue)));
  // The text filter narrows to it.
  await page.getByLabel('filter findings by text').fill(host);
  await expect(page).toHaveURL(new RegExp(`q=${host}`));
  await expect(page.locator('[data-testid=finding]:not([data-host="' + host + '"])')).toHaveCount(0);
  await page.goto(findingsHref());
  await expect(full).toBeVisible();
  await shot(page, 'findings');

  // The service list: this host is not consuming; ping it and see it time out.
  await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: /Services/ }).click();
  await expect(page).toHaveURL(/\/services/);
  await page.goto(servicesHref({ topic: 'compute' }));
  const row = page.locator(`[data-testid=service-row][data-host="${host}"][data-vhost="${vhost}"]`);
  await expect(row).toHaveAttribute('data-status', 'not-consuming');
  await expect(row).toContainText('connected, not consuming');
  await expect(row.getByRole('link', { name: serverQueue })).toBeVisible();
  await row.getByRole('button', { name: 'Ping' }).click();
  await expect(row.getByTestId('ping-result')).toHaveText(/timeout/, { timeout: 30_000 });
  await expect(row.getByTestId('ping-result')).toHaveAttribute('data-status', 'timeout');

  // A healthy compute host of the global cloud answers, on the same list.
  const healthy = cloudInfo();
  const ok = page.locator(`[data-testid=service-row][data-host=compute01][data-vhost="${healthy.vhost}"]`);
  await expect(ok).toHaveAttribute('data-status', /ok|backlog/);
  await ok.getByRole('button', { name: 'Ping' }).click();
  await expect(ok.getByTestId('ping-result')).toHaveText(/alive · \d+ ms/, { timeout: 30_000 });
  await expect(row.getByTestId('ping-result')).toHaveText(/timeout/);
  await shot(page, 'services');
});

test('the queue page: its finding, a ping, and what is waiting, read only on a click', async ({ page }) => {
  await page.goto(queueHref(vhost, serverQueue));
  await expect(page.getByRole('heading', { name: serverQueue })).toBeVisible();
  await expect(page.getByTestId('subject-findings')).toContainText(/up but does nothing/);
  await page.getByTestId('ping-card').getByRole('button', { name: 'Ping' }).click();
  await expect(page.getByTestId('ping-card').getByTestId('ping-result')).toHaveText(/timeout/, { timeout: 30_000 });

  // Nothing read before the click.
  await expect(page.getByText(/marked redelivered/)).toBeVisible();
  await expect(page.getByTestId('peek-result')).toHaveCount(0);
  await page.getByLabel('how many messages to read').selectOption('5');
  await page.getByRole('button', { name: 'Read the first 5 messages' }).click();
  const result = page.getByTestId('peek-result');
  await expect(result).toBeVisible();
  const table = result.getByRole('table', { name: 'messages read' });
  await expect(table.getByRole('row')).toHaveCount(WAITING + 1);
  await expect(table).toContainText('build_and_run_instance');
  await expect(table).toContainText('cast');
  await expect(result.getByTestId('peek-by-method')).toContainText(`build_and_run_instance × ${WAITING}`);
  await table.getByText(/chars/).first().click();
  await expect(table.locator('pre').first()).toContainText('vm-');
  await shot(page, 'queue-waiting');
});

test('processes of a cloud in several vhosts say where each is connected, and filter by vhost', async ({ page }) => {
  await page.goto('/processes');
  // Its host is not known from the broker any more (it stopped consuming its per-server queue): its address is.
  const diagRow = page.getByRole('row').filter({ hasText: 'nova-compute' }).filter({ hasText: '127.0.9.21' });
  await expect(diagRow.getByTestId('process-vhosts')).toHaveText(vhost);
  await page.getByLabel('vhost').selectOption(vhost);
  await expect(page).toHaveURL(new RegExp(`vhost=${encodeURIComponent(vhost)}`));
  // Only this cloud's two processes are left: its nova-compute and its conductor.
  await expect(page.getByTestId('process-vhosts')).toHaveCount(2);
  for (const cell of await page.getByTestId('process-vhosts').all()) await expect(cell).toHaveText(vhost);
  await shot(page, 'processes-vhosts');
});
