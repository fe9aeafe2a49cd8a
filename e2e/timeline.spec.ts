// History in a real browser: a compute host stops consuming; its host page (reached from the
// service list's host link) shows it not consuming, its processes, its history and timeline; a
// point of the chart opens what changed around then; the timeline filters by kind and host.
import { expect, test, type Page } from '@playwright/test';
import type { HostDetailResponse } from '../lib/api/schemas';
import { servicesHref } from '../lib/client/links';
import { startCloud, type CloudHandle } from '../sim/cloud';
import { parseScenario } from '../sim/scenario';
import { amqpUrl, createTestVhost, deleteTestVhost } from '../tests/helpers/broker';
import { SCREENSHOTS } from './cloud-info';

const api = '/api/v1/clusters/default';
let vhost: string;
let cloud: CloudHandle | undefined;
let host: string;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  vhost = await createTestVhost('timeline');
  host = `hv-${vhost.slice(-8)}`;
  cloud = await startCloud(
    parseScenario({
      name: 'timeline',
      hosts: [{ name: host, address: '127.0.9.41', services: ['nova-compute'] }],
      controllers: [{ name: `ctl-${vhost.slice(-8)}`, address: '127.0.9.42', services: ['nova-conductor'] }],
      traffic: { notificationConsumer: false },
    }),
    { amqpUrl: amqpUrl(vhost), traffic: false },
  );
  await expect
    .poll(async () => {
      const body = (await (await request.get(`${api}/hosts/${host}`)).json()) as HostDetailResponse;
      return body.services?.some((s) => s.processes.some((p) => p.binary === 'nova-compute')) ?? false;
    }, { timeout: 60_000 })
    .toBe(true);
  await cloud.process('nova-compute', host).stopConsuming(`compute.${host}`);
});

test.afterAll(async () => {
  await cloud?.stop();
  if (vhost) await deleteTestVhost(vhost);
});

test('a host page from its link: what runs there, what it lost, and when', async ({ page }) => {
  await page.goto(servicesHref({ topic: 'compute', vhost }));
  await page.locator(`[data-testid=service-row][data-host="${host}"]`).getByTestId('host-link').click();
  await expect(page).toHaveURL(new RegExp(`/hosts/${host}$`));
  await expect(page.getByRole('heading', { level: 1, name: host })).toBeVisible();
  await expect(page.getByTestId('host-service').filter({ hasText: `compute.${host}` })).toHaveAttribute('data-status', 'not-consuming');
  await expect(page.getByTestId('host-process').filter({ hasText: 'nova-compute' })).toBeVisible();
  const lost = page.getByTestId('timeline-group').filter({ hasText: `compute.${host} lost its consumer nova-compute` });
  await expect(lost).toBeVisible({ timeout: 30_000 });
  await expect(lost.getByRole('link')).toHaveAttribute('href', new RegExp(`/queues/${encodeURIComponent(vhost)}/compute\\.${host}$`));

  // Its history over 15 minutes, drawn; a point of it opens what changed around then.
  const history = page.getByTestId('history-panel');
  await history.getByRole('button', { name: '15m' }).click();
  await expect(history).toHaveAttribute('data-range', '15m');
  await expect(history).toHaveAttribute('data-store', 'ok');
  await expect(history.getByTestId('history-backlog')).toBeVisible();
  await shot(page, 'host');
  const chart = history.getByTestId('history-backlog');
  const box = (await chart.boundingBox())!;
  await chart.click({ position: { x: box.width - 20, y: box.height / 2 } });
  await history.getByTestId('what-changed').click();
  await expect(page).toHaveURL(/\/timeline\?host=.*&from=\d+&to=\d+/);
  await expect(page.getByTestId('timeline-window')).toBeVisible();
  await expect(page.getByTestId('timeline-group').filter({ hasText: 'lost its consumer' })).toBeVisible();
});

test('the timeline filters by kind and by host', async ({ page }) => {
  await page.goto(`/timeline?range=15m&host=${host}`);
  await expect(page.getByTestId('timeline-group').filter({ hasText: `compute.${host} lost its consumer` })).toBeVisible();
  await page.getByLabel('kind').selectOption('finding-raised,finding-resolved');
  await expect(page).toHaveURL(/kind=finding-raised%2Cfinding-resolved/);
  const groups = page.getByTestId('timeline-group');
  await expect(groups.filter({ hasText: /up but does nothing/ })).toBeVisible({ timeout: 30_000 });
  // The list the filter asked for, not the one it replaces (which has that group too).
  await expect
    .poll(async () => (await groups.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).filter((k) => k !== 'finding-raised' && k !== 'finding-resolved'))
    .toEqual([]);
  await page.getByLabel('filter by host').fill('no-such-host');
  await expect(page.getByText('nothing changed in this range, for these filters')).toBeVisible();
  await page.getByLabel('filter by host').fill(host);
  await page.getByLabel('kind').selectOption('');
  await expect(page.getByTestId('timeline-group').filter({ hasText: `compute.${host} lost its consumer` })).toBeVisible();
  await shot(page, 'timeline');
});
