import { describe, expect, it } from 'vitest';
import { novaComputeCloud } from '@/lib/testing/builders';
import { stateOf } from '@/lib/testing/state';
import { countWhere, isFailing, isInTrouble, serviceList, type ServiceRow } from './services';
import { SERVICE_STATUSES } from './vocabulary';

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

const compute = (host: string, o: Partial<ServiceRow> = {}) => makeRow({ host, server: host, serverQueue: `compute.${host}`, ...o });
const rows = [
  compute('compute10'),
  compute('compute2'),
  compute('compute3', { status: 'not-consuming' }),
  makeRow({ component: 'openstack', exchange: 'openstack', topic: 'cinder-volume', host: 'storage01', server: 'storage01@lvm', serverQueue: 'cinder-volume.storage01@lvm' }),
  compute('compute2', { vhost: 'other' }),
];
const all = { limitPerGroup: 100 };

describe('a service in trouble', () => {
  it('is one known to be wrong: failing (red) or behind (amber); unknown is neither, nor is ok', () => {
    expect(SERVICE_STATUSES.filter(isFailing)).toEqual(['not-consuming', 'stuck', 'down']);
    expect(SERVICE_STATUSES.filter(isInTrouble)).toEqual(['not-consuming', 'stuck', 'down', 'backlog']);
    expect(countWhere({ ok: 5, unknown: 3, backlog: 2, down: 1 }, isInTrouble)).toBe(3);
    expect(countWhere({ unknown: 3 }, isFailing)).toBe(0);
  });
});

describe('serviceList', () => {
  it('filters by component, topic, vhost, status and host text (also the server name)', () => {
    expect(serviceList(rows, { ...all, component: 'openstack' }).filtered).toBe(1);
    expect(serviceList(rows, { ...all, q: 'LVM' }).groups.flatMap((g) => g.rows.map((r) => r.host))).toEqual(['storage01']);
    expect(serviceList(rows, { ...all, q: 'compute2', vhost: 'other' }).filtered).toBe(1);
    expect(serviceList(rows, { ...all, topic: 'compute' }).filtered).toBe(4);
    expect(serviceList(rows, { ...all, status: 'trouble' }).groups.flatMap((g) => g.rows.map((r) => r.host))).toEqual(['compute3']);
  });

  it('groups per vhost, component and topic; worst first, then hosts in natural order', () => {
    const { groups } = serviceList(rows, all);
    expect(groups.map((g) => `${g.component}/${g.topic}@${g.vhost}`)).toEqual(['nova/compute@/', 'nova/compute@other', 'openstack/cinder-volume@/']);
    expect(groups[0]!.rows.map((r) => r.host)).toEqual(['compute3', 'compute2', 'compute10']);
    expect(groups[0]!.counts).toEqual({ ok: 2, 'not-consuming': 1 });
  });

  it('cuts each group at the limit, keeping the worst and telling the total', () => {
    const { groups, counts, total } = serviceList(rows, { limitPerGroup: 1 });
    expect(groups[0]).toMatchObject({ total: 3, rows: [{ host: 'compute3' }] });
    expect(total).toBe(5);
    expect(counts).toMatchObject({ ok: 4, 'not-consuming': 1, down: 0 });
  });

  it('offers facets over every row, topics of the chosen component, and keeps the current value', () => {
    expect(serviceList(rows, all).facets).toEqual({ components: ['nova', 'openstack'], topics: ['cinder-volume', 'compute'], vhosts: ['/', 'other'] });
    expect(serviceList(rows, { ...all, component: 'openstack' }).facets.topics).toEqual(['cinder-volume']);
    expect(serviceList(rows, { ...all, component: 'heat' }).facets.components).toEqual(['heat', 'nova', 'openstack']);
  });
});

describe('a per-server quorum queue that lost its quorum', () => {
  it('puts its service down, and says why in a quorum queue\'s terms', () => {
    const three = ['rabbit@n1', 'rabbit@n2', 'rabbit@n3'];
    const inputs = novaComputeCloud(2);
    inputs.queues = inputs.queues.map((q) => (q.name === 'compute.compute0001' ? { ...q, type: 'quorum', leader: 'rabbit@n1', members: three, online: three } : q));
    inputs.nodes = three.map((name) => ({ name, running: name === 'rabbit@n1', type: 'disc', memAlarm: false, diskFreeAlarm: false, partitions: [], memUsed: null, memLimit: null, fdUsed: null, fdTotal: null, uptimeMs: null }));
    const rows = stateOf(inputs).services;
    expect(rows.find((r) => r.host === 'compute0001')).toMatchObject({ status: 'down', statusReason: 'its quorum queue lost its quorum: 1 of 3 replicas up, 2 needed' });
    expect(rows.find((r) => r.host === 'compute0002')?.status).toBe('ok');
  });
});
