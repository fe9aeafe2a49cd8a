// Upgrade readiness in a real browser: a legacy vhost (transient classic queues, on RabbitMQ 3.x an
// ha-all policy) and a migrated one (quorum, transient quorum, stream fanout, queue manager) beside
// the run's demo cloud. The page, reached from the header, says what the API answers.
import { expect, test, type Page } from '@playwright/test';
import type { UpgradeResponse } from '../lib/api/schemas';
import { MIGRATION_OPTIONS } from '../lib/domain/vocabulary';
import { verdict } from '../components/upgrade/upgrade-shaping';
import { startCloud, type CloudHandle } from '../sim/cloud';
import { parseScenario } from '../sim/scenario';
import { admin, amqpUrl, createTestVhost, deleteTestVhost } from '../tests/helpers/broker';
import { SCREENSHOTS } from './cloud-info';

const api = '/api/v1/clusters/default';
const POLICY = 'e2e-ha-all';
const LOCATOR_POLICY = 'e2e-locate';
let legacy: string;
let migrated: string;
/** RabbitMQ 4.0 refuses ha-* policy keys: then there is no policy to show. */
let policyTaken = false;
/** RabbitMQ 4.3 refuses queue-master-locator in a policy. */
let locatorTaken = false;
const clouds: CloudHandle[] = [];

function computeCloud(name: string, octet: number, layout: Record<string, unknown>) {
  return parseScenario({
    name,
    layout,
    hosts: [{ name: `cmp-${name}`, address: `127.0.14.${octet}`, services: ['nova-compute'] }],
    controllers: [{ name: `ctl-${name}`, address: `127.0.14.${octet + 1}`, services: ['nova-conductor'] }],
    traffic: { notificationConsumer: false },
  });
}

async function upgradeAnswer(page: Page): Promise<UpgradeResponse> {
  return (await (await page.request.get(`${api}/upgrade`)).json()) as UpgradeResponse;
}

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  legacy = await createTestVhost('upgrade-legacy');
  migrated = await createTestVhost('upgrade-migrated');
  const put = await admin.put(
    `/api/policies/${encodeURIComponent(legacy)}/${POLICY}`,
    { pattern: '^(?!amq\\.).*', definition: { 'ha-mode': 'all' }, 'apply-to': 'queues', priority: 0 },
    { validateStatus: () => true },
  );
  policyTaken = put.status < 300;
  const locator = await admin.put(
    `/api/policies/${encodeURIComponent(legacy)}/${LOCATOR_POLICY}`,
    { pattern: '^compute\\.', definition: { 'queue-master-locator': 'client-local' }, 'apply-to': 'queues', priority: 1 },
    { validateStatus: () => true },
  );
  locatorTaken = locator.status < 300;
  clouds.push(await startCloud(computeCloud('legacy', 1, {}), { amqpUrl: amqpUrl(legacy), traffic: false }));
  clouds.push(
    await startCloud(computeCloud('migrated', 3, { quorumQueues: true, transientQuorumQueues: true, useQueueManager: true, streamFanout: true, prefetchCount: 10 }), {
      amqpUrl: amqpUrl(migrated),
      traffic: false,
    }),
  );
  // Until the dashboard has read both clouds with their consumers.
  await expect
    .poll(
      async () => {
        const body = (await (await request.get(`${api}/upgrade`)).json()) as UpgradeResponse;
        const compute = (vhost: string) => body.services?.find((s) => s.binary === 'nova-compute' && s.vhost === vhost);
        return [compute(migrated)?.options.use_queue_manager.adoption, compute(legacy)?.options.rabbit_quorum_queue.adoption];
      },
      { timeout: 60_000 },
    )
    .toEqual(['yes', 'no']);
});

test.afterAll(async () => {
  for (const c of clouds) await c.stop();
  for (const name of [POLICY, LOCATOR_POLICY]) if (legacy) await admin.delete(`/api/policies/${encodeURIComponent(legacy)}/${name}`, { validateStatus: () => true });
  if (legacy) await deleteTestVhost(legacy);
  if (migrated) await deleteTestVhost(migrated);
});

test('the upgrade page from the header: the verdict, each check and every service as the API says', async ({ page }) => {
  await page.goto('/upgrade');
  await expect(page).toHaveURL(/\/c\/default\/upgrade$/);
  await page.goto('/');
  await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Upgrade' }).click();
  await expect(page).toHaveURL(/\/c\/default\/upgrade$/);
  await expect(page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Upgrade' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { level: 1, name: 'Upgrade readiness' })).toBeVisible();

  // The broker is shared with the run's other clouds: compare with an answer read at the same time, again until both agree.
  await expect(async () => {
    const answer = await upgradeAnswer(page);
    const v = verdict(answer);
    await expect(page.getByTestId('upgrade-headline')).toHaveText(v.headline, { timeout: 3_000 });
    await expect(page.getByTestId('upgrade-verdict')).toHaveAttribute('data-tone', v.tone, { timeout: 1_000 });
    for (const check of [answer.mirroring, answer.transientQueues, answer.deprecatedFeatures, answer.globalQos, answer.queueMasterLocator]) {
      await expect(page.locator(`[data-testid=upgrade-check][data-check="${check.id}"]`)).toHaveAttribute('data-status', check.status, { timeout: 1_000 });
    }
  }).toPass({ timeout: 30_000 });
  const answer = await upgradeAnswer(page);
  expect(answer.rabbitmqVersion).not.toBeNull();
  await expect(page.getByTestId('upgrade-headline')).toContainText(`RabbitMQ ${answer.rabbitmqVersion}`);

  // The path: where this broker is, every hop left, the next one with what it needs; a 3.x cluster told it cannot jump to 4.3.
  const path = page.getByTestId('upgrade-path');
  expect(answer.path.current).not.toBeNull();
  await expect(path).toContainText(`${answer.path.current} · here`);
  await expect(path.getByTestId('upgrade-hop')).toHaveCount(answer.path.hops.length);
  for (const hop of answer.path.hops) await expect(path.locator(`[data-testid=upgrade-hop][data-to="${hop.to}"]`)).toBeVisible();
  if (answer.path.hops[0]) await expect(path.getByTestId('upgrade-next-hop')).toContainText(`Next hop: RabbitMQ ${answer.path.hops[0].to}, once ${answer.path.hops[0].needs}`);
  if (answer.rabbitmqVersion?.startsWith('3.')) await expect(path.getByTestId('upgrade-path-note')).toContainText('cannot be reached from 3.');
  else await expect(path.getByTestId('upgrade-path-note')).toHaveCount(0);

  // Mirroring: the policy on 3.x with the queues it matches; on 4.0 the broker refused it, and the check says mirroring is gone.
  const mirroring = page.locator('[data-testid=upgrade-check][data-check="classic-mirroring"]');
  if (policyTaken) {
    const policy = answer.mirroring.policies?.find((p) => p.vhost === legacy && p.name === POLICY);
    expect(policy?.matchedQueues).toBeGreaterThan(0);
    await expect(mirroring.locator(`[data-testid=mirroring-policy][data-policy="${POLICY}"]`).getByTestId('policy-matched')).toHaveText(String(policy?.matchedQueues));
    await expect(mirroring.getByTestId('check-remedy')).toContainText('Remove the ha-* keys');
  } else {
    await expect(mirroring.getByTestId('check-summary')).toContainText('This RabbitMQ has no classic mirroring');
  }

  // queue-master-locator: the policy and what replaces it, where the broker took it.
  const locatorCheck = page.locator('[data-testid=upgrade-check][data-check="queue-master-locator"]');
  const locatorRow = locatorCheck.locator(`[data-testid=locator-policy][data-policy="${LOCATOR_POLICY}"]`);
  if (locatorTaken) await expect(locatorRow).toContainText('queue-leader-locator: client-local');
  else await expect(locatorRow).toHaveCount(0);

  // Transient queues: the legacy vhost's nova-compute, with the option to set.
  const transient = page.locator('[data-testid=upgrade-check][data-check="transient-queues"]');
  const legacyCompute = answer.transientQueues.services.find((s) => s.binary === 'nova-compute' && s.vhost === legacy);
  const row = transient.locator(`[data-testid=service-queues-row][data-binary="nova-compute"][data-vhost="${legacy}"]`);
  await expect(row).toHaveAttribute('data-count', String(legacyCompute?.count));
  await expect(row).toContainText('rabbit_transient_quorum_queue = true');
  await expect(transient.locator(`[data-testid=service-queues-row][data-vhost="${migrated}"]`)).toHaveCount(0);

  // Per service: the migrated nova-compute has every option on, the legacy one none.
  for (const [vhost, adoption] of [
    [migrated, 'yes'],
    [legacy, 'no'],
  ] as const) {
    const service = page.locator(`[data-testid=migration-row][data-binary="nova-compute"][data-vhost="${vhost}"]`);
    for (const option of MIGRATION_OPTIONS) await expect(service.locator(`[data-option="${option}"]`)).toHaveAttribute('data-adoption', adoption);
  }

  await page.screenshot({ path: `${SCREENSHOTS}/upgrade.png`, fullPage: true });
});
