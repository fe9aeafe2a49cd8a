// A dashboard of its own behind a fault-injecting proxy: when the management API fails,
// every page says so in a banner (which request, why, since when), keeps showing what it
// knew marked stale, and comes back by itself when the broker does.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { OverviewResponse } from '../lib/api/schemas';
import { admin, createTestVhost, deleteTestVhost, MANAGEMENT_URL } from '../tests/helpers/broker';
import { type DashboardServer, startDashboard } from '../tests/helpers/dashboard-server';
import { type FaultProxy, startFaultProxy } from '../tests/helpers/fault-proxy';
import { SCREENSHOTS } from './cloud-info';

let proxy: FaultProxy;
let dashboard: DashboardServer;
let vhost: string;
const QUEUE = 'compute.faulty-host';
const store = path.join(mkdtempSync(path.join(tmpdir(), 'lens-e2e-faults-')), 'history.sqlite');
const env = () => ({ RABBITMQ_MANAGEMENT_URL: proxy.url, REFRESH_INTERVAL_MS: '1000', REQUEST_TIMEOUT_MS: '2000', HISTORY_STORE: store });

async function overview(): Promise<OverviewResponse> {
  return (await (await fetch(`${dashboard.url}/api/v1/clusters/default/overview`)).json()) as OverviewResponse;
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  vhost = await createTestVhost('faults');
  await admin.put(`/api/queues/${encodeURIComponent(vhost)}/${QUEUE}`, { durable: false, auto_delete: false, arguments: {} });
  proxy = await startFaultProxy(MANAGEMENT_URL);
  dashboard = await startDashboard(env());
  await expect.poll(async () => (await overview()).status?.fetchedAt ?? null, { timeout: 60_000 }).not.toBeNull();
});

test.afterAll(async () => {
  await dashboard?.stop();
  await proxy?.close();
  if (vhost) await deleteTestVhost(vhost);
});

const banner = (page: Page) => page.getByRole('alert').filter({ hasText: 'Broker refresh failing' });

test('the broker fails: every page says why and since when, keeps what it knew; then it recovers', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`${dashboard.url}/queues?q=faulty-host`);
  await expect(page.getByRole('link', { name: QUEUE })).toBeVisible();
  // The page asks at the server's cadence (1 s here, stretched against a slow broker), not at a fixed 5 s of its own.
  const asked: number[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('/queues')) asked.push(Date.now());
  });
  await page.waitForTimeout(9_000);
  const gaps = asked.slice(1).map((t, i) => t - asked[i]!).sort((a, b) => a - b);
  expect(gaps.length).toBeGreaterThanOrEqual(2);
  expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(4000);
  await expect(page.getByTestId('data-age')).toHaveCount(0);

  await proxy.set({ kind: 'answer', status: 503, body: '{"error":"unavailable","reason":"maintenance"}' });
  await expect.poll(async () => (await overview()).status.error?.message ?? '', { timeout: 30_000 }).toMatch(/503/);

  for (const path of ['/', '/queues?q=faulty-host', '/services', '/findings', '/exchanges', '/processes']) {
    await page.goto(`${dashboard.url}${path}`);
    await expect(banner(page), path).toContainText(/since .*the management API answered 503 on GET \/api\/.*maintenance/);
    await expect(banner(page), path).toContainText(/showing the snapshot from .* ago/);
    await expect(page.getByTestId('live-status'), path).toContainText('stale');
    // Older than two of the server's intervals: said plainly.
    await expect(page.getByTestId('data-age'), path).toContainText(/data \d+(\.\d)? (s|min) old/);
  }
  await page.goto(`${dashboard.url}/queues?q=faulty-host`);
  await expect(page.getByRole('link', { name: QUEUE })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/fault-503-queues.png`, fullPage: true });

  // The plug pulled: nothing answers at all.
  await proxy.set({ kind: 'refuse' });
  await expect(banner(page)).toContainText(/cannot reach the management API/, { timeout: 30_000 });
  await expect(page.getByRole('link', { name: QUEUE })).toBeVisible();

  // Back: the banner goes away by itself and the numbers are fresh again.
  await proxy.set({ kind: 'pass' });
  await expect(banner(page)).toHaveCount(0, { timeout: 90_000 });
  await expect(page.getByTestId('live-status')).not.toContainText('stale');
  await expect(page.getByTestId('data-age')).toHaveCount(0);
  await page.screenshot({ path: `${SCREENSHOTS}/fault-recovered.png`, fullPage: true });
});

test('started again while the broker is down: the overview shows what the store remembers, said to be that', async ({ page }) => {
  test.setTimeout(120_000);
  // What it has written down of the broker so far (a point of 5 s holds what the first refresh in it saw).
  await expect
    .poll(async () => ((await (await fetch(`${dashboard.url}/api/v1/clusters/default/history?scope=global&range=15m`)).json()) as { points: unknown[] }).points.length, { timeout: 30_000 })
    .toBeGreaterThan(0);
  await dashboard.stop();
  await proxy.set({ kind: 'refuse' });
  dashboard = await startDashboard(env());
  await page.goto(`${dashboard.url}/`);
  await expect(page.getByRole('alert').filter({ hasText: 'No fresh data' })).toContainText(/cannot reach the management API/, { timeout: 30_000 });
  const meanwhile = page.getByTestId('meanwhile');
  await expect(meanwhile).toContainText('remembered');
  await expect(meanwhile).toContainText('History of the whole broker');
  await expect(meanwhile).toContainText('recorded since');
  await page.screenshot({ path: `${SCREENSHOTS}/restart-broker-down.png`, fullPage: true });
  await proxy.set({ kind: 'pass' });
  // Once the broker answers, the page is the overview again.
  await expect(meanwhile).toHaveCount(0, { timeout: 60_000 });
});
