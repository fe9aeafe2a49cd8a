import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BrokerError } from '@/lib/broker/errors';
import { ManagementClient } from '@/lib/broker/management-client';
import { DEFAULT_THRESHOLDS } from '@/lib/domain/findings/types';
import type { BrokerInputs } from '@/lib/domain/types';
import { novaComputeCloud } from '@/lib/testing/builders';
import type { ActionSettings } from './actions';
import { createCluster, type RefreshEvent, stateOrNull } from './cluster';
import { NoSnapshotError } from './snapshot';
import { type BrokerSource, captureSource, type LiveReading, type Source } from './sources';

const off: ActionSettings = { probe: { enabled: false, reason: 'off' }, peek: { enabled: false, reason: 'off' } };

/** A broker whose every reading the test decides: inputs, or a failure. */
function fakeBroker(clock: { now: number }) {
  const script: (BrokerInputs | BrokerError)[] = [];
  let reads = 0;
  const source: BrokerSource = {
    live: true,
    origin: () => null,
    // Never asked: nothing here reads messages.
    client: new ManagementClient({ baseUrl: 'http://broker.invalid', username: 'u', password: 'p', timeoutMs: 1 }),
    async load(): Promise<LiveReading> {
      reads++;
      const next = script.length > 1 ? script.shift()! : script[0]!;
      if (next instanceof BrokerError) throw next;
      return { kind: 'live', inputs: next, warnings: [], at: clock.now, topologyAt: clock.now, identityAt: clock.now, counts: { source: 'management', why: 'a test' }, brokerHistory: null, readMs: 0, topologyIntervalMs: 60_000 };
    },
    remembered: () => ({ memory: null, offReason: 'a test keeps none' }),
    queueHistory: async () => [],
  };
  return { source, script, reads: () => reads };
}

function cluster(source: Source, clock: { now: number }, graceMs = 0) {
  const c = createCluster({
    id: 'test',
    name: 'Test',
    managementUrl: 'http://broker.invalid',
    source,
    actions: off,
    // Findings on the first reading: these readings are what the test says, with no statistics to settle.
    thresholds: { ...DEFAULT_THRESHOLDS, graceMs, settleMs: 0 },
    historySamples: 10,
    refreshIntervalMs: 1000,
    topologyIntervalMs: 60_000,
    watch: 'on-demand',
    timeoutHint: 'raise the timeout',
    now: () => clock.now,
    schedule: () => undefined, // demand alone drives these
  });
  const events: RefreshEvent[] = [];
  c.subscribe((e) => events.push(e));
  return { c, events };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('a cluster', () => {
  it('turns each reading into one state: the model, its findings, its services, its health', async () => {
    const clock = { now: 1000 };
    const broker = fakeBroker(clock);
    broker.script.push(novaComputeCloud(3, [2]));
    const { c, events } = cluster(broker.source, clock);
    const state = await c.read();
    expect(state.at).toBe(1000);
    expect(state.topology.totals.queues).toBe(3 * 2 + 1 + 1);
    expect(state.findings.open.map((f) => f.id)).toEqual(['rpc-server-unconsumed:queue:/\u0000compute.compute0002']);
    expect(state.services.find((r) => r.host === 'compute0002')).toMatchObject({ status: 'not-consuming', idleProcesses: [{ binary: 'nova-compute' }] });
    expect(state.health.of(state.topology.index.queue('/', 'compute.compute0002')!)).toBe('unconsumed');
    expect(state.serviceCounts).toMatchObject({ ok: 2, 'not-consuming': 1 });
    expect(Object.isFrozen(state)).toBe(true);
    expect(events).toMatchObject([{ cluster: 'test', outcome: 'ok', state }]);
    expect(c.status()).toMatchObject({ fetchedAt: 1000, stale: false, error: null, refreshIntervalMs: 1000, topology: { fetchedAt: 1000, refreshIntervalMs: 60_000 } });
  });

  it('refreshes when due, each refresh a new state; the older one stays as it was', async () => {
    const clock = { now: 0 };
    const broker = fakeBroker(clock);
    broker.script.push(novaComputeCloud(2, [2]), novaComputeCloud(2));
    const { c } = cluster(broker.source, clock);
    const first = await c.read();
    clock.now = 1500;
    await c.read(); // due: the next one is read behind this answer
    await settle();
    const second = c.latest()!;
    expect(second).not.toBe(first);
    expect(second.findings.open).toEqual([]);
    expect(second.findings.resolved.map((f) => f.rule)).toEqual(['rpc-server-unconsumed']);
    expect(first.findings.open.map((f) => f.rule)).toEqual(['rpc-server-unconsumed']);
    expect(broker.reads()).toBe(2);
  });

  it('keeps the last state when a refresh fails, says why and since when, and says so to its observers', async () => {
    const clock = { now: 0 };
    const broker = fakeBroker(clock);
    broker.script.push(novaComputeCloud(2), new BrokerError('timeout', 'GET /api/queues', 'the management API did not answer GET /api/queues in 60000 ms'));
    const { c, events } = cluster(broker.source, clock);
    const good = await c.read();
    clock.now = 2000;
    await c.read();
    await settle();
    expect(c.latest()).toBe(good);
    expect(c.status()).toMatchObject({
      fetchedAt: 0,
      stale: true,
      error: { message: 'the management API did not answer GET /api/queues in 60000 ms (raise the timeout)', request: 'GET /api/queues', since: 2000 },
    });
    expect(events.at(-1)).toMatchObject({ outcome: 'failed', request: 'GET /api/queues' });
  });

  it('has nothing to show while its source was never read, and says why', async () => {
    const clock = { now: 0 };
    const broker = fakeBroker(clock);
    broker.script.push(new BrokerError('unauthorized', 'GET /api/overview', 'the broker refused the credentials (401) on GET /api/overview'));
    const { c } = cluster(broker.source, clock);
    await expect(c.read()).rejects.toBeInstanceOf(NoSnapshotError);
    expect(await stateOrNull(c)).toBeNull();
    expect(c.status()).toMatchObject({ fetchedAt: null, stale: true, error: { request: 'GET /api/overview' } });
    expect(c.latest()).toBeNull();
  });

  it('opens a capture once, read-only: its time, its findings, no refresh ever', async () => {
    const clock = { now: 5_000_000_000_000 };
    const source = captureSource(path.join(__dirname, '../../tests/fixtures/capture-v1.json.gz'));
    const { c } = cluster(source, clock, 15_000);
    const state = await c.read();
    const taken = c.capturedAt()!;
    expect(state.at).toBe(taken);
    expect(c.managementUrl()).toBe('http://127.0.0.1:15672');
    expect(c.status()).toMatchObject({ fetchedAt: taken, capturedAt: taken, stale: false, refreshIntervalMs: 0 });
    // Its finding stands as it was taken, grace period or not.
    expect(state.findings.open.map((f) => f.rule)).toEqual(['rpc-server-unconsumed']);
    clock.now += 3_600_000;
    expect(await c.read()).toBe(state);
  });

  it('says what is wrong with a capture it cannot open', async () => {
    const { c } = cluster(captureSource('/nonexistent/capture.json.gz'), { now: 0 });
    await expect(c.read()).rejects.toThrow(/capture \/nonexistent\/capture\.json\.gz: ENOENT/);
    expect(c.capturedAt()).toBeNull();
  });
});
