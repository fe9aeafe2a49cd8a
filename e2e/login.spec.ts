// Signing in with a RabbitMQ user (AUTH_MODE=login), in the browser, against a dashboard of
// its own: every page sends a stranger to the sign-in page and back where they wanted to go,
// the session cookie is out of the page's reach, and a session ended on the server sends an
// open page back to sign in.
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { admin, createTestVhost, deleteTestVhost, MANAGEMENT_URL } from '../tests/helpers/broker';
import { type DashboardServer, startDashboard } from '../tests/helpers/dashboard-server';
import { SCREENSHOTS } from './cloud-info';

let dashboard: DashboardServer;
let vhost: string;
const QUEUE = `compute.signin-${randomBytes(3).toString('hex')}`;
const user = { name: `lens-oncall-${randomBytes(3).toString('hex')}`, password: `pw-${randomBytes(12).toString('hex')}` };

test.beforeAll(async () => {
  test.setTimeout(120_000);
  vhost = await createTestVhost('signin');
  await admin.put(`/api/queues/${encodeURIComponent(vhost)}/${QUEUE}`, { durable: false, auto_delete: false, arguments: {} });
  await admin.put(`/api/users/${user.name}`, { password: user.password, tags: 'monitoring' });
  await admin.put(`/api/permissions/${encodeURIComponent(vhost)}/${user.name}`, { configure: '^$', write: '^$', read: '.*' });
  dashboard = await startDashboard({ AUTH_MODE: 'login', RABBITMQ_MANAGEMENT_URL: MANAGEMENT_URL, REFRESH_INTERVAL_MS: '1000' });
});

test.afterAll(async () => {
  await dashboard?.stop();
  await admin.delete(`/api/users/${user.name}`, { validateStatus: () => true });
  if (vhost) await deleteTestVhost(vhost);
});

test('an operator signs in with their RabbitMQ user, sees the broker as that user, and signs out', async ({ page, context }) => {
  test.setTimeout(90_000);
  const wanted = `/queues?q=${QUEUE}`;
  await page.goto(`${dashboard.url}${wanted}`);
  await expect(page).toHaveURL(`${dashboard.url}/login?next=${encodeURIComponent(wanted)}`);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  await page.getByLabel('User name').fill(user.name);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'refused' })).toHaveText('the broker refused this user name and password');
  await page.screenshot({ path: `${SCREENSHOTS}/login-refused.png` });

  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Back where they wanted to go: the old path lands in the cluster it means.
  await expect(page).toHaveURL(`${dashboard.url}/c/default${wanted}`);
  await expect(page.getByTestId('operator')).toContainText(user.name);
  await expect(page.getByRole('link', { name: QUEUE })).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: `${SCREENSHOTS}/login-signed-in.png` });

  const [session] = (await context.cookies()).filter((c) => c.name === 'lens_session');
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  expect(session!.expires).toBeGreaterThan(Date.now() / 1000 + 11 * 3600);
  expect(await page.evaluate(() => document.cookie)).not.toContain('lens_session');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(`${dashboard.url}/login`);
  await page.goto(`${dashboard.url}/processes`);
  await expect(page).toHaveURL(`${dashboard.url}/login?next=%2Fprocesses`);
});

test('a session that ends while a page is open sends it back to sign in, and then back to that page', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(`${dashboard.url}/login?next=%2Fservices`);
  await page.getByLabel('User name').fill(user.name);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${dashboard.url}/c/default/services`);

  // Ended on the server (as a restart, an expiry or another tab's sign-out would).
  const out = await page.request.delete(`${dashboard.url}/api/v1/session`, { headers: { origin: dashboard.url }, data: {} });
  expect(out.status()).toBe(200);
  await expect(page).toHaveURL(`${dashboard.url}/login?next=%2Fc%2Fdefault%2Fservices`, { timeout: 30_000 });
  await page.getByLabel('User name').fill(user.name);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${dashboard.url}/c/default/services`);
});
