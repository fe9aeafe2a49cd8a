// The topology inspector in a real browser against a simulated cloud on the real broker.
import { expect, test, type Page } from '@playwright/test';
import type { ComponentDetailResponse, OverviewResponse, ProcessesResponse, QueuesResponse, ServicesResponse } from '../lib/api/schemas';
import type { ProcessInfo } from '../sim/process';
import { cloudInfo, SCREENSHOTS, type E2eCloud } from './cloud-info';

const api = '/api/v1/clusters/default';
const serverQueue = 'compute.compute01';
// Read once the global setup has started the cloud (spec files are also loaded before it runs).
let cloud: E2eCloud;
let compute01: ProcessInfo;
let queueUrl: string;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/** Waits until the server's snapshot includes the simulated cloud's consumers. */
async function waitForCloud(page: Page) {
  await expect
    .poll(async () => {
      const res = await page.request.get(`${api}/queues?vhost=${encodeURIComponent(cloud.vhost)}&q=${serverQueue}`);
      if (!res.ok()) return `${res.status()} ${await res.text()}`;
      const body = (await res.json()) as QueuesResponse;
      return body.items.find((q) => q.name === serverQueue)?.processIds.length ?? 0;
    }, { timeout: 30_000, message: 'the simulated cloud shows up in the API' })
    .toBeGreaterThan(0);
}

test.beforeAll(async ({ browser }) => {
  cloud = cloudInfo();
  const found = cloud.processes.find((p) => p.binary === 'nova-compute' && p.host === 'compute01');
  if (!found) throw new Error('the e2e scenario has no nova-compute on compute01');
  compute01 = found;
  // Old paths redirect into the (only) cluster; links within it keep the /c/default prefix.
  queueUrl = `/c/default/queues/${encodeURIComponent(cloud.vhost)}/${encodeURIComponent(serverQueue)}`;
  const page = await browser.newPage();
  await waitForCloud(page);
  await page.close();
});

test('overview: components, groups and counts as the API has them, and a chart drawn', async ({ page }) => {
  const readOverview = async () => (await (await page.request.get(`${api}/overview`)).json()) as OverviewResponse;
  await page.goto('/');
  for (const name of ['nova', 'neutron', 'openstack', 'heat']) {
    const card = page.locator(`[data-testid=component-card][href="/c/default/components/${name}"]`);
    await expect(card).toBeVisible();
    // The page and the API at the same moment: the spec before this one may have just deleted its vhost.
    await expect(async () => {
      const summary = (await readOverview()).components.find((c) => c.name === name);
      expect(summary, name).toBeDefined();
      await expect(card).toContainText(`servers${summary?.serverQueueCount}`, { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
  }
  const overview = await readOverview();
  const nova = overview.components.find((c) => c.name === 'nova');
  expect(nova?.topics).toEqual(expect.arrayContaining(['compute', 'conductor', 'scheduler']));
  await expect(page.getByText('RPC reply queues')).toBeVisible();
  await expect(page.getByText('fanout queues', { exact: true })).toBeVisible();
  // A chart drawn from the server's history: recharts renders the lines as SVG paths.
  await expect(page.getByTestId('rates-chart').locator('path.recharts-curve').first()).toBeVisible();
  await expect(page.getByTestId('live-status')).toContainText(/updated/);
  // The counts come from the broker's Prometheus plugin (playwright.config.ts names it), and the page says so.
  expect(overview.status.source?.counts).toBe('prometheus');
  await expect(page.getByTestId('counts-source')).toContainText('Prometheus plugin');
  await expect(page.getByTestId('counts-source')).toContainText(/who consumes read whole .* ago/);
  await shot(page, 'overview');
});

test('a per-server queue\'s consumer traced to its process: binary, pid and host', async ({ page }) => {
  await page.goto('/components/nova');
  await expect(page.getByRole('link', { name: serverQueue }).first()).toBeVisible();
  await shot(page, 'component-nova');

  await page.goto(`/queues?vhost=${encodeURIComponent(cloud.vhost)}&kind=rpc-server&q=${serverQueue}`);
  await shot(page, 'queues-filtered');
  await page.getByRole('link', { name: serverQueue, exact: true }).first().click();
  await expect(page).toHaveURL(queueUrl);
  await expect(page.getByRole('heading', { name: serverQueue })).toBeVisible();

  const consumers = page.locator('section, div').filter({ has: page.getByText(/^Consumers \(\d+\)$/) }).last();
  await expect(consumers).toContainText('nova-compute');
  await expect(consumers).toContainText(String(compute01.pid));
  await expect(consumers).toContainText('compute01');
  await shot(page, 'queue-detail');

  await consumers.getByRole('link', { name: /nova-compute/ }).first().click();
  await expect(page).toHaveURL(/\/c\/default\/processes\//);
  await expect(page.getByText(String(compute01.pid)).first()).toBeVisible();
  await expect(page.getByText(compute01.address).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'compute01', exact: true }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: serverQueue }).first()).toBeVisible();
  await shot(page, 'process-detail');
});

test('a deep link survives a reload', async ({ page }) => {
  await page.goto(queueUrl);
  await expect(page.getByRole('heading', { name: serverQueue })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: serverQueue })).toBeVisible();
  await expect(page.getByRole('link', { name: 'compute01', exact: true }).first()).toBeVisible();
  await expect(page.getByText(/^Consumers \(1\)$/)).toBeVisible();
  await expect(page.getByTestId('rates-chart')).toBeVisible();
});

test('exchanges: the groups side by side, filterable, and one exchange with its bindings', async ({ page }) => {
  await page.goto('/exchanges');
  for (const group of ['component', 'reply', 'fanout', 'builtin', 'other']) await expect(page.getByTestId(`exchange-group-${group}`)).toBeVisible();
  await expect(page.getByTestId('exchange-group-component')).toContainText('nova');
  await expect(page.getByTestId('exchange-group-fanout')).toContainText('compute_fanout');
  await shot(page, 'exchanges');
  await page.goto(`/exchanges/${encodeURIComponent(cloud.vhost)}/nova`);
  await expect(page.getByRole('link', { name: serverQueue }).first()).toBeVisible();
  await shot(page, 'exchange-detail');
});

test('where does a message go: a routing key typed on nova reaches compute01\'s queue and names its process', async ({ page }) => {
  await page.goto(`/exchanges/${encodeURIComponent(cloud.vhost)}/nova`);
  const tester = page.locator('section').filter({ hasText: 'Where does a message go?' });
  await tester.getByLabel('routing key').fill(serverQueue);
  await expect(tester.getByTestId('route-summary')).toContainText('reaches 1 queue through 1 matching binding');
  await expect(tester.getByRole('link', { name: serverQueue })).toBeVisible();
  await expect(tester.getByRole('link', { name: /nova-compute/ })).toBeVisible();
  // The key is in the URL: the answer survives a reload and can be shared.
  await expect(page).toHaveURL(new RegExp(`\\?key=${serverQueue}$`));
  await page.reload();
  await expect(tester.getByTestId('route-summary')).toContainText('reaches 1 queue');
  await shot(page, 'route-tester');
  await tester.getByLabel('routing key').fill('nobody.listens.here');
  await expect(tester.getByTestId('route-summary')).toContainText('reaches no queue');
  await expect(tester).toContainText('the broker drops this message');
  // A fanout exchange needs no key.
  await page.goto(`/exchanges/${encodeURIComponent(cloud.vhost)}/compute_fanout`);
  await expect(page.getByTestId('route-summary')).toContainText(/reaches [1-9]\d* queues? through/);
});

test('the message flow of nova/compute: a picture from producers to hosts, groups that open, boxes that lead on', async ({ page }) => {
  await page.goto('/components/nova');
  await page.getByRole('link', { name: 'message flow →' }).first().click();
  await expect(page).toHaveURL(/\/c\/default\/components\/nova\/flow\?topic=/);
  await page.goto(`/components/nova/flow?topic=compute&vhost=${encodeURIComponent(cloud.vhost)}`);
  const diagram = page.getByTestId('flow-diagram');
  await expect(diagram.locator('[data-node="exchange:nova"]')).toBeVisible();
  await expect(diagram.locator('[data-node="queue:compute"]')).toBeVisible();
  await expect(diagram.locator('[data-node="processes:nova-compute"]')).toBeVisible();
  // compute01's queue is one of the healthy per-server queues: in a group until it is opened.
  const group = diagram.locator('[data-node="queues:server:healthy"]');
  await expect(group).toBeVisible();
  await shot(page, 'flow-grouped');
  await group.click();
  await expect(page).toHaveURL(/expand=server%3Ahealthy|expand=server:healthy/);
  const box = diagram.locator(`[data-node="queue:${serverQueue}"]`);
  await expect(box).toHaveAttribute('data-state', 'healthy');
  await expect(diagram.locator(`[data-node^="process:nova-compute:${compute01.pid}@"]`)).toBeVisible();
  await expect(diagram.locator('[data-node="host:compute01"]')).toBeVisible();
  await shot(page, 'flow-expanded');
  await box.click();
  await expect(page).toHaveURL(queueUrl);
});

test('queue list and process list render', async ({ page }) => {
  await page.goto('/queues');
  await expect(page.getByRole('table', { name: 'queues' })).toBeVisible();
  // The list is virtualised over every vhost's queues: find the queue as an operator does, by typing it.
  await page.getByRole('searchbox', { name: 'filter by name' }).or(page.getByLabel('filter by name')).first().fill(serverQueue);
  await expect(page.getByRole('link', { name: serverQueue }).first()).toBeVisible();
  await shot(page, 'queues');
  await page.goto('/processes');
  await expect(page.getByRole('link', { name: /nova-compute/ }).first()).toBeVisible();
  await shot(page, 'processes');
});

test('the API says what is wrong with a request', async ({ request }) => {
  const bad = await request.get(`${api}/queues?sort=sideways&pageSize=5000`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatch(/sort/);
  const missing = await request.get(`${api}/queues/${encodeURIComponent(cloud.vhost)}/no-such-queue`);
  expect(missing.status()).toBe(404);
  expect((await missing.json()).error).toMatch(/no-such-queue/);
  expect((await request.get('/api/v1/clusters/elsewhere/overview')).status()).toBe(404);
  for (const broken of [`${api}/queues/%E0%A4%A/x`, `${api}/processes/%ZZ`, `${api}/queues/a/%`]) {
    const res = await request.get(broken);
    expect(res.status(), broken).toBe(400);
    expect((await res.json()).error).toMatch(/percent-encoding/);
  }
  expect((await request.get('/queues/%ZZ/x')).status()).toBe(400);
  const component = (await (await request.get(`${api}/components/nova`)).json()) as ComponentDetailResponse;
  const compute = component.topics.find((t) => t.name === 'compute' && t.vhost === cloud.vhost);
  expect(compute?.serverQueues.map((q) => q.host)).toEqual(expect.arrayContaining(['compute01', 'compute02', 'compute03']));
  expect(compute?.serverQueueTotal).toBe(compute?.serverQueues.length);
});

test('long lists come in the pieces a page shows', async ({ request }) => {
  const one = (await (await request.get(`${api}/processes?limit=1`)).json()) as ProcessesResponse;
  expect(one.items).toHaveLength(1);
  expect(one.filtered).toBe(one.total);
  expect(one.total).toBeGreaterThan(1);
  const computes = (await (await request.get(`${api}/processes?q=nova-compute`)).json()) as ProcessesResponse;
  expect(computes.items.length).toBeGreaterThan(0);
  expect(computes.items.every((p) => p.binary === 'nova-compute')).toBe(true);
  expect((await request.get(`${api}/processes?limit=-1`)).status()).toBe(400);

  const perGroup = (await (await request.get(`${api}/services?limitPerGroup=1`)).json()) as ServicesResponse;
  const compute = perGroup.groups.find((g) => g.topic === 'compute' && g.vhost === cloud.vhost);
  expect(compute?.rows).toHaveLength(1);
  expect(compute?.total).toBeGreaterThan(1);
  expect(perGroup.total).toBe(Object.values(perGroup.counts).reduce((a, b) => a + b, 0));
  const trouble = (await (await request.get(`${api}/services?status=trouble`)).json()) as ServicesResponse;
  expect(trouble.groups.flatMap((g) => g.rows).every((r) => r.status !== 'ok')).toBe(true);
  expect((await request.get(`${api}/services?status=sleeping`)).status()).toBe(400);
});
