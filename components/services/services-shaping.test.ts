import { describe, expect, it } from 'vitest';
import type { ServiceRow } from '@/lib/domain/services';
import { servicesHref } from '@/lib/client/links';
import { facet, filterServiceRows, groupServiceRows, lastActivity, parseIdleSince, parseServicesFilters, probeText } from './services-shaping';

const makeRow = (o: Partial<ServiceRow> = {}): ServiceRow => ({
  vhost: '/',
  component: 'nova',
  exchange: 'nova',
  topic: 'compute',
  host: 'compute01',
  server: 'compute01',
  serverQueue: 'compute.compute01',
  consumers: 1,
  processes: [{ id: 'nova-compute:1@127.0.0.1', binary: 'nova-compute', pid: 1 }],
  idleProcesses: [],
  fanoutQueue: null,
  backlog: { ready: 0, unacknowledged: 0 },
  rates: null,
  idleSince: null,
  status: 'ok',
  statusReason: 'consumed',
  findingIds: [],
  ...o,
});

describe('services filters', () => {
  const rows = [
    makeRow({ host: 'compute10', server: 'compute10', serverQueue: 'compute.compute10' }),
    makeRow({ host: 'compute2', server: 'compute2', serverQueue: 'compute.compute2' }),
    makeRow({ component: 'openstack', exchange: 'openstack', topic: 'cinder-volume', host: 'storage01', server: 'storage01@lvm', serverQueue: 'cinder-volume.storage01@lvm' }),
    makeRow({ vhost: 'other', host: 'compute2', server: 'compute2', serverQueue: 'compute.compute2' }),
  ];
  it('round-trips through the URL', () => {
    const f = { component: 'nova', topic: 'compute', vhost: '/', q: 'a b#c' };
    const href = servicesHref(f);
    expect(href.startsWith('/services?')).toBe(true);
    expect(parseServicesFilters(new URLSearchParams(href.slice(href.indexOf('?'))))).toEqual(f);
    expect(servicesHref()).toBe('/services');
  });
  it('filters by component, topic, vhost and host text (also the server name)', () => {
    expect(filterServiceRows(rows, { component: 'openstack' })).toHaveLength(1);
    expect(filterServiceRows(rows, { q: 'LVM' }).map((r) => r.host)).toEqual(['storage01']);
    expect(filterServiceRows(rows, { q: 'compute2', vhost: 'other' })).toHaveLength(1);
    expect(filterServiceRows(rows, { topic: 'compute' })).toHaveLength(3);
  });
  it('groups per vhost, component and topic, hosts in natural order', () => {
    const g = groupServiceRows(rows);
    expect(g.map((x) => `${x.component}/${x.topic}@${x.vhost}`)).toEqual(['nova/compute@/', 'nova/compute@other', 'openstack/cinder-volume@/']);
    expect(g[0]!.rows.map((r) => r.host)).toEqual(['compute2', 'compute10']);
    expect(g[0]!.counts).toEqual({ ok: 2 });
  });
  it('facets are distinct, sorted, and keep the current value', () => {
    expect(facet(rows, (r) => r.component)).toEqual(['nova', 'openstack']);
    expect(facet(rows, (r) => r.component, 'heat')).toEqual(['heat', 'nova', 'openstack']);
  });
});

describe('words', () => {
  const now = Date.parse('2026-01-01T10:05:00Z');
  it('last activity from idle_since, both formats', () => {
    expect(lastActivity(null, now)).toBe('busy');
    expect(lastActivity('2026-01-01T10:02:00.000+00:00', now)).toBe('idle 3 min');
    expect(lastActivity('2026-01-01 10:04:30', now)).toBe('idle 30 s');
    expect(lastActivity('yesterday-ish', now)).toBe('idle since yesterday-ish');
    expect(parseIdleSince('2026-01-01 10:04:30')).toBe(Date.parse('2026-01-01T10:04:30Z'));
  });
  it('a ping answer', () => {
    expect(probeText({ status: 'alive', latencyMs: 12.4, detail: 'ok' })).toEqual({ text: 'alive · 12 ms', tone: 'green' });
    expect(probeText({ status: 'timeout', latencyMs: null, detail: 'no reply in 5000 ms' })).toEqual({ text: 'timeout — not consuming', tone: 'red' });
    expect(probeText({ status: 'error', latencyMs: null, detail: 'NOT_FOUND - no exchange' })).toEqual({ text: 'NOT_FOUND - no exchange', tone: 'amber' });
  });
});
