// The answers that depend on one state alone are computed once per state and shared, frozen,
// by every request on it (lib/domain/memo.ts); each request still gets its own status.
import { describe, expect, it } from 'vitest';
import { novaComputeCloud } from '@/lib/testing/builders';
import { stateOf } from '@/lib/testing/state';
import { flowResponse, hostDetailResponse, servicesResponse, upgradeResponse } from './answers';
import * as api from './schemas';

const inputs = novaComputeCloud(6, [3]);
const status = (fetchedAt: number): api.SnapshotStatus => ({ fetchedAt, stale: false, refreshing: false, error: null, refreshIntervalMs: 2000 });
const probe: api.ActionStatus = { enabled: false, reason: 'off' };

describe('answers shared per state', () => {
  it('upgrade readiness: computed once per state, each request with its own status', () => {
    const state = stateOf(inputs);
    const a = upgradeResponse(state, status(1));
    const b = upgradeResponse(state, status(2));
    expect(a).not.toBe(b);
    expect([a.status.fetchedAt, b.status.fetchedAt]).toEqual([1, 2]);
    expect(a.mirroring).toBe(b.mirroring);
    expect(a.services).toBe(b.services);
    const next = upgradeResponse(stateOf(inputs), status(1));
    expect(next.mirroring).not.toBe(a.mirroring);
    expect(next).toEqual(a);
    api.upgradeResponse.parse(a);
  });

  it('a shared answer cannot be changed by the request that got it', () => {
    const state = stateOf(inputs);
    const a = hostDetailResponse(state, status(1), 'compute0003');
    expect(() => a.services.pop()).toThrow(TypeError);
    expect(() => {
      a.services[0]!.status = 'ok';
    }).toThrow(TypeError);
    expect(hostDetailResponse(state, status(2), 'compute0003')).toEqual({ ...a, status: status(2) });
  });

  it('host pages: one per host, the same as a fresh state gives', () => {
    const state = stateOf(inputs);
    const a = hostDetailResponse(state, status(1), 'compute0003');
    expect(hostDetailResponse(state, status(1), 'compute0003').processes).toBe(a.processes);
    expect(hostDetailResponse(state, status(1), 'compute0004').host).toBe('compute0004');
    expect(a.services[0]).toMatchObject({ host: 'compute0003', status: 'not-consuming' });
    expect(hostDetailResponse(stateOf(inputs), status(1), 'compute0003')).toEqual(a);
    api.hostDetailResponse.parse(a);
  });

  it('flow pictures: one per topic and set of expanded groups, whatever their order', () => {
    const state = stateOf(inputs);
    const q = (expand: string[]) => ({ topic: 'compute', vhost: '/', expand: new Set(expand) });
    const a = flowResponse(state, status(1), 'nova', q(['server:healthy', 'fanout:healthy']))!;
    expect(flowResponse(state, status(2), 'nova', q(['fanout:healthy', 'server:healthy']))!.layout).toBe(a.layout);
    const grouped = flowResponse(state, status(1), 'nova', q([]))!;
    expect(grouped.layout).not.toBe(a.layout);
    expect(grouped.layout.nodes.length).toBeLessThan(a.layout.nodes.length);
    expect(flowResponse(state, status(1), 'nova', { topic: 'compute', expand: new Set() })).toEqual(grouped);
    expect(flowResponse(state, status(1), 'nova', q(['nothing']))!.layout).toEqual(grouped.layout);
    expect(flowResponse(state, status(1), 'nova', { topic: 'nope', expand: new Set() })).toBeNull();
    api.flowResponse.parse(a);
  });

  it('keeps a bounded number of host pages and flow pictures per state', () => {
    const state = stateOf(inputs);
    for (let i = 0; i < 100; i++) {
      hostDetailResponse(state, status(1), `host${i}`);
      flowResponse(state, status(1), 'nova', { topic: 'compute', vhost: '/', expand: new Set([`x${i}`]) });
    }
    expect(state.memo.size).toBeLessThanOrEqual(40);
  });

  it('the service list: filtered per request from one order per state', () => {
    const state = stateOf(inputs);
    const all = servicesResponse(state, status(1), { limitPerGroup: 25 }, probe);
    expect(all.groups[0]!.rows.map((r) => r.host)).toEqual(['compute0003', 'compute0001', 'compute0002', 'compute0004', 'compute0005', 'compute0006']);
    const trouble = servicesResponse(state, status(1), { limitPerGroup: 25, status: 'trouble' }, probe);
    expect(trouble.groups.flatMap((g) => g.rows.map((r) => r.host))).toEqual(['compute0003']);
    expect(servicesResponse(state, status(1), { limitPerGroup: 2, q: 'COMPUTE000' }, probe).groups[0]).toMatchObject({ total: 6, rows: [{ host: 'compute0003' }, { host: 'compute0001' }] });
    all.groups[0]!.rows.pop(); // a request's own answer: the next one is whole
    expect(servicesResponse(state, status(1), { limitPerGroup: 25 }, probe).groups[0]!.rows).toHaveLength(6);
    api.servicesResponse.parse(all);
  });
});
