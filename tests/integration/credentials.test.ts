// Credentials never leave the server: the built dashboard runs against the real broker as
// a monitoring user with a password of its own, and neither any page, any API answer nor
// any client script holds that password (or the AMQP URL that carries it).
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, AMQP_HOST, AMQP_PORT, createTestVhost, deleteTestVhost, eventually, MANAGEMENT_URL } from '../helpers/broker';
import { type DashboardServer, startDashboard } from '../helpers/dashboard-server';

const ROOT = path.resolve(__dirname, '../..');
const user = `lens-secret-${randomBytes(3).toString('hex')}`;
const password = `pw-${randomBytes(12).toString('hex')}`;
let vhost: string;
let server: DashboardServer | undefined;
let base: string;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

beforeAll(async () => {
  vhost = await createTestVhost('secret');
  await admin.put(`/api/users/${user}`, { password, tags: 'monitoring' });
  await admin.put(`/api/permissions/${encodeURIComponent(vhost)}/${user}`, { configure: '^$', write: '^$', read: '.*' });
  server = await startDashboard({
    RABBITMQ_MANAGEMENT_URL: MANAGEMENT_URL,
    RABBITMQ_USERNAME: user,
    RABBITMQ_PASSWORD: password,
    RABBITMQ_AMQP_URL: `amqp://${user}:${password}@${AMQP_HOST}:${AMQP_PORT}/${encodeURIComponent(vhost)}`,
    PEEK_ENABLED: 'true',
  });
  base = server.url;
  await eventually(async () => (await fetch(`${base}/api/v1/clusters/default/overview`).catch(() => null))?.ok, 60_000);
});

afterAll(async () => {
  await server?.stop();
  await admin.delete(`/api/users/${user}`, { validateStatus: () => true });
  if (vhost) await deleteTestVhost(vhost);
});

describe('the configured credentials', () => {
  const secrets = () => [password, Buffer.from(`${user}:${password}`).toString('base64')];

  it('appear in no API answer and no page', async () => {
    const paths = [
      '/api/v1/clusters',
      '/api/v1/clusters/default/overview',
      '/api/v1/clusters/default/exchanges',
      '/api/v1/clusters/default/queues?pageSize=1000',
      '/api/v1/clusters/default/processes',
      '/api/v1/clusters/default/findings',
      '/api/v1/clusters/default/services',
      '/api/v1/clusters/default/components/nova',
      '/api/v1/clusters/default/queues/no-such-vhost/no-such-queue',
      '/api/v1/clusters/default/queues?sort=sideways',
      '/',
      '/queues',
      '/processes',
      '/services',
      '/findings',
      '/exchanges',
    ];
    for (const p of paths) {
      const res = await fetch(`${base}${p}`);
      const body = await res.text();
      expect(body.length, p).toBeGreaterThan(0);
      for (const s of secrets()) expect(body.includes(s), `${p} holds the password`).toBe(false);
      for (const [name, value] of res.headers) for (const s of secrets()) expect(value.includes(s), `${p} header ${name}`).toBe(false);
    }
    // The answers are real: the monitoring user reads the broker.
    const clusters = (await (await fetch(`${base}/api/v1/clusters`)).json()) as { clusters: { managementUrl: string; status: { error: unknown } }[] };
    expect(clusters.clusters[0]?.status.error).toBeNull();
    expect(clusters.clusters[0]?.managementUrl).toBe(MANAGEMENT_URL);
  });

  it('appear in no client script or style the build serves', () => {
    const served = files(path.join(ROOT, '.next/static'));
    expect(served.length).toBeGreaterThan(0);
    for (const f of served) {
      const text = readFileSync(f, 'utf8');
      expect(text.includes(password), f).toBe(false);
      expect(/RABBITMQ_(PASSWORD|USERNAME|AMQP_URL|MANAGEMENT_URL)/.test(text), `${f} reads the server's configuration`).toBe(false);
    }
  });

  it('appear nowhere in what the server logs', () => {
    expect(server?.output()).toContain(user);
    expect(server?.output().includes(password)).toBe(false);
  });
});
