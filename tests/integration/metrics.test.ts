// GET /metrics, scraped and parsed as Prometheus would: a simulated cloud in a vhost of its
// own, the built dashboard with a metrics token, and the series checked against what the
// dashboard's own API says about the same broker.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServicesResponse } from '@/lib/api/schemas';
import { startCloud, type CloudHandle } from '@/sim/cloud';
import { loadScenario } from '@/sim/scenario';
import { amqpUrl, createTestVhost, deleteTestVhost, eventually, MANAGEMENT_URL } from '../helpers/broker';
import { type DashboardServer, startDashboard } from '../helpers/dashboard-server';
import { parsePrometheusText, type PromScrape, select } from '@/lib/broker/prometheus-text';

const TOKEN = 'metrics-token-for-the-test-0123456789';
let vhost: string;
let cloud: CloudHandle;
let dashboard: DashboardServer;

async function scrape(headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  return fetch(`${dashboard.url}/metrics`, { headers });
}

async function families(): Promise<PromScrape> {
  const res = await scrape();
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
}

beforeAll(async () => {
  vhost = await createTestVhost('metrics');
  cloud = await startCloud(await loadScenario(path.resolve(__dirname, '../../sim/scenarios/test.json')), { amqpUrl: amqpUrl(vhost), traffic: false });
  dashboard = await startDashboard({ RABBITMQ_MANAGEMENT_URL: MANAGEMENT_URL, REFRESH_INTERVAL_MS: '1000', METRICS_TOKEN: TOKEN });
});

afterAll(async () => {
  await dashboard?.stop();
  await cloud?.stop();
  if (vhost) await deleteTestVhost(vhost);
});

describe('/metrics', () => {
  it('wants the token when one is set', async () => {
    expect((await scrape({})).status).toBe(401);
    expect((await scrape({ authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await scrape({ authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await scrape()).status).toBe(200);
  });

  it('says the broker is up, how old the snapshot is, and how long refreshes take', async () => {
    const ok = { cluster: 'default', outcome: 'ok' };
    const all = await eventually(async () => {
      const f = await families();
      return (select(f, 'rabbit_lens_refresh_duration_seconds_count', ok)[0]?.value ?? 0) >= 2 ? f : null;
    });
    expect(all.types.get('rabbit_lens_refresh_duration_seconds')).toBe('histogram');
    expect(select(all, 'rabbit_lens_up', { cluster: 'default' })[0]?.value).toBe(1);
    expect(select(all, 'rabbit_lens_snapshot_age_seconds', { cluster: 'default' })[0]?.value).toBeLessThan(60);
    expect(select(all, 'rabbit_lens_refresh_duration_seconds_sum', ok)[0]?.value).toBeGreaterThan(0);
    expect(select(all, 'rabbit_lens_refresh_duration_seconds_bucket', { ...ok, le: '+Inf' })[0]?.value).toBe(
      select(all, 'rabbit_lens_refresh_duration_seconds_count', ok)[0]?.value,
    );
  });

  it('says the store is up and how long writing a refresh to it takes', async () => {
    const all = await eventually(async () => {
      const f = await families();
      return (select(f, 'rabbit_lens_store_write_duration_seconds_count', { cluster: 'default', outcome: 'ok' })[0]?.value ?? 0) >= 2 ? f : null;
    });
    expect(select(all, 'rabbit_lens_store_up', {})[0]?.value).toBe(1);
    expect(all.types.get('rabbit_lens_store_write_duration_seconds')).toBe('histogram');
    expect(select(all, 'rabbit_lens_store_write_duration_seconds_count', { cluster: 'default', outcome: 'failed' })).toEqual([]);
  });

  it("says what the server's own process holds and spends, under Node's usual names", async () => {
    const all = await families();
    const rss = select(all, 'process_resident_memory_bytes')[0]?.value ?? 0;
    // More than an empty Node (about 40 MB) and less than a machine.
    expect(rss).toBeGreaterThan(40 * 2 ** 20);
    expect(rss).toBeLessThan(8 * 2 ** 30);
    const oldSpace = select(all, 'nodejs_heap_space_size_used_bytes', { space: 'old' })[0]?.value ?? 0;
    expect(oldSpace).toBeGreaterThan(0);
    expect(oldSpace).toBeLessThan(rss);
    expect(all.types.get('process_cpu_seconds_total')).toBe('counter');
  });

  it('has every RPC server of the service list with its status, as the API gives it', async () => {
    const expected = cloud.describe().reduce((n, p) => n + Object.keys(p.consuming).length, 0);
    expect(expected).toBeGreaterThan(0);
    const api = await eventually(async () => {
      const res = (await (await fetch(`${dashboard.url}/api/v1/clusters/default/services?vhost=${encodeURIComponent(vhost)}&limitPerGroup=1000`)).json()) as ServicesResponse;
      return res.total > 0 ? res : null;
    });
    const all = await families();
    const rows = api.groups.flatMap((g) => g.rows);
    const series = select(all, 'rabbit_lens_service_status', { cluster: 'default', vhost });
    expect(series).toHaveLength(rows.length);
    for (const r of rows) {
      const s = series.find((m) => m.labels.host === r.host && m.labels.topic === r.topic);
      expect(s?.labels, `${r.topic} on ${r.host}`).toMatchObject({ component: r.component ?? '', status: r.status });
      expect(s?.value).toBe(1);
    }
    expect(series.map((s) => s.labels.host)).toEqual(expect.arrayContaining(['node-1', 'storage01']));
  });

  it('counts consumers per topic and processes per binary like the broker', async () => {
    const novaComputes = cloud.describe().filter((p) => p.binary === 'nova-compute').length;
    const all = await eventually(async () => {
      const f = await families();
      // Consumers are counted at once; their processes once the management API knows their connections.
      const processes = select(f, 'rabbit_lens_processes', { cluster: 'default', binary: 'nova-compute' })[0]?.value ?? 0;
      return (select(f, 'rabbit_lens_topic_consumers', { vhost, component: 'nova', topic: 'compute' })[0]?.value ?? 0) >= 3 && processes >= novaComputes ? f : null;
    }, 120_000);
    // nova-compute on node-1 consumes the shared `compute` queue, its own and its fanout queue.
    expect(select(all, 'rabbit_lens_topic_consumers', { vhost, component: 'nova', topic: 'compute' })[0]?.value).toBe(3);
    expect(select(all, 'rabbit_lens_topic_ready_messages', { vhost, component: 'nova', topic: 'compute' })[0]?.value).toBe(0);
    expect(select(all, 'rabbit_lens_processes', { cluster: 'default', binary: 'nova-compute' })[0]?.value).toBeGreaterThanOrEqual(novaComputes);
    expect(all.types.get('rabbit_lens_component_consumers')).toBe('gauge');
  }, 150_000);

  it('is what the alerting rules and the Grafana dashboard in docs/ ask for: no name or label they use is missing', async () => {
    const docs = path.resolve(__dirname, '../../docs');
    const rules = parseYaml(readFileSync(path.join(docs, 'prometheus-alerts.yml'), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
    const dashboard = JSON.parse(readFileSync(path.join(docs, 'grafana-dashboard.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    const exprs = [
      ...rules.groups.flatMap((g) => g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr }))),
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => ({ where: `panel ${p.title}`, expr: t.expr }))),
    ];
    expect(exprs.length).toBeGreaterThan(10);
    const all = await families();
    const exported = new Set<string>();
    for (const [name, type] of all.types) {
      exported.add(name);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exported.add(`${name}${suffix}`);
    }
    for (const { where, expr } of exprs) {
      const selectors = [...expr.matchAll(/(rabbit_lens_[a-z_]+)(?:\{([^}]*)\})?/g)];
      expect(selectors.length, where).toBeGreaterThan(0);
      for (const [, name, matchers] of selectors) {
        expect(exported, `${where}: ${name}`).toContain(name);
        const present = select(all, name!);
        if (present.length === 0) continue; // e.g. no finding open right now: the family is there, empty
        for (const [, label] of (matchers ?? '').matchAll(/([a-z_]+)\s*(?:=~|!=|=)/g))
          expect(present.some((s) => label! in s.labels), `${where}: ${name} has no label ${label}`).toBe(true);
      }
    }
  });
});
