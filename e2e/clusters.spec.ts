// Two clusters side by side: two simulated clouds in vhosts of their own, each watched as a
// cluster of a DASHBOARD_CONFIG file through a user that sees only its vhost. One compute host
// of the second is up but does nothing: the page of all clusters puts that one first, and
// every page of a cluster stays in that cluster.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { ClustersResponse, QueuesResponse } from '../lib/api/schemas';
import { startCloud, type CloudHandle } from '../sim/cloud';
import { applyFault, parseFault } from '../sim/faults';
import { loadScenario } from '../sim/scenario';
import { admin, amqpUrl, createTestVhost, deleteTestVhost, MANAGEMENT_URL } from '../tests/helpers/broker';
import { type DashboardServer, startDashboard } from '../tests/helpers/dashboard-server';
import { SCREENSHOTS } from './cloud-info';

const suffix = randomBytes(3).toString('hex');
const regions = [
  { id: 'region-one', name: 'Region One', user: `lens-r1-${suffix}`, password: `pw-${randomBytes(9).toString('hex')}`, prometheus: false },
  // Counts from the plugin, which answers for every vhost: only this user's may show.
  { id: 'region-two', name: 'Region Two', user: `lens-r2-${suffix}`, password: `pw-${randomBytes(9).toString('hex')}`, prometheus: true },
];
const PROMETHEUS_URL = process.env.RABBITMQ_PROMETHEUS_URL ?? 'http://127.0.0.1:15692';
const vhosts: string[] = [];
const clouds: CloudHandle[] = [];
let dashboard: DashboardServer;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const scenario = await loadScenario(path.resolve(__dirname, '../sim/scenarios/test.json'));
  for (const r of regions) {
    const vhost = await createTestVhost(r.id);
    vhosts.push(vhost);
    await admin.put(`/api/users/${r.user}`, { password: r.password, tags: 'monitoring' });
    await admin.put(`/api/permissions/${encodeURIComponent(vhost)}/${r.user}`, { configure: '^$', write: '^$', read: '.*' });
    clouds.push(await startCloud(scenario, { amqpUrl: amqpUrl(vhost), traffic: false }));
  }
  await applyFault(clouds[1]!, parseFault('not-consuming:nova-compute@node-1'));
  const dir = mkdtempSync(path.join(tmpdir(), 'lens-clusters-'));
  const file = path.join(dir, 'clusters.yaml');
  writeFileSync(
    file,
    `clusters:\n${regions
      .map((r, i) => `  - id: ${r.id}\n    name: ${r.name}\n    managementUrl: ${MANAGEMENT_URL}\n    username: ${r.user}\n    passwordEnv: LENS_PASSWORD_${i}\n    refreshIntervalMs: 1000\n${r.prometheus ? `    prometheus: { url: '${PROMETHEUS_URL}' }\n` : ''}`)
      .join('')}`,
  );
  dashboard = await startDashboard({
    DASHBOARD_CONFIG: file,
    LENS_PASSWORD_0: regions[0]!.password,
    LENS_PASSWORD_1: regions[1]!.password,
    FINDINGS_GRACE_MS: '3000',
  });
});

test.afterAll(async () => {
  await dashboard?.stop();
  for (const c of clouds) await c.stop();
  for (const r of regions) await admin.delete(`/api/users/${r.user}`, { validateStatus: () => true });
  for (const v of vhosts) await deleteTestVhost(v);
});

test('each cluster is read through its own user: its API answers hold its vhost only', async ({ request }) => {
  const list = (await (await request.get(`${dashboard.url}/api/v1/clusters`)).json()) as ClustersResponse;
  expect(list.clusters.map((c) => [c.id, c.name])).toEqual(regions.map((r) => [r.id, r.name]));
  for (const [i, r] of regions.entries()) {
    await expect
      .poll(async () => {
        const q = (await (await request.get(`${dashboard.url}/api/v1/clusters/${r.id}/queues?q=compute.node-1`)).json()) as QueuesResponse;
        return q.items?.map((x) => x.vhost) ?? [];
      })
      .toEqual([vhosts[i]]);
  }
  expect((await request.get(`${dashboard.url}/api/v1/clusters/nowhere/overview`)).status()).toBe(404);
});

test('the page of all clusters puts the one in trouble first, and its pages stay in it', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(dashboard.url);
  const cards = page.locator('[data-testid^="cluster-"]');
  await expect(cards).toHaveCount(2);
  await expect(page.getByTestId('cluster-region-two')).toHaveAttribute('data-trouble', 'red', { timeout: 45_000 });
  await expect(cards.first()).toHaveAttribute('data-testid', 'cluster-region-two');
  await expect(page.getByTestId('cluster-region-two')).toContainText('not consuming');
  await expect(page.getByTestId('cluster-region-one')).toHaveAttribute('data-trouble', 'green');
  // How fresh each cluster is, from where, and that it is read with nobody looking.
  await expect(page.getByTestId('cluster-region-one').getByTestId('freshness')).toContainText(/counts [\d.]+ m?s old \(management API\) · who consumes read whole [\d.]+ m?s ago · read whether anyone looks or not/);
  await expect(page.getByTestId('cluster-region-two').getByTestId('freshness')).toContainText(/counts [\d.]+ m?s old \(Prometheus plugin\)/);
  await page.screenshot({ path: `${SCREENSHOTS}/clusters.png`, fullPage: true });

  await page.getByRole('link', { name: 'Region Two' }).click();
  await expect(page).toHaveURL(`${dashboard.url}/c/region-two`);
  await expect(page.getByTestId('cluster-switch')).toContainText('Region Two');
  await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Queues' }).click();
  await expect(page).toHaveURL(`${dashboard.url}/c/region-two/queues`);
  await page.getByRole('searchbox').first().fill('compute.node-1');
  await expect(page).toHaveURL(`${dashboard.url}/c/region-two/queues?q=compute.node-1`);
  await page.getByRole('link', { name: 'compute.node-1' }).click();
  await expect(page).toHaveURL(`${dashboard.url}/c/region-two/queues/${encodeURIComponent(vhosts[1]!)}/compute.node-1`);
  await expect(page.getByText(vhosts[1]!).first()).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/clusters-queue.png` });
  // An old link without a cluster lands in the first cluster.
  await page.goto(`${dashboard.url}/services`);
  await expect(page).toHaveURL(`${dashboard.url}/c/region-one/services`);
});
