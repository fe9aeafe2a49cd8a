import { describe, expect, it } from 'vitest';
import { emptyInputs, makeQueue, novaComputeCloud, osloServer } from '@/lib/testing/builders';
import { stateOf } from '@/lib/testing/state';
import { queueSeriesKey, seriesOf, vhostSeriesKey } from './series';

describe('the points a refresh gives the history', () => {
  const series = seriesOf(stateOf(novaComputeCloud(3, [2])));

  it('one per queue, component, topic, process and host, and the totals', () => {
    expect(series.get('global')!.get('')).toMatchObject({ ready: 7, consumers: 8, publish: 0 }); // the broker's own totals (its overview)
    expect(series.get('queue')!.get(queueSeriesKey('/', 'compute.compute0002'))).toMatchObject({ ready: 7, consumers: 0 });
    expect(series.get('queue')!.size).toBe(3 * 2 + 1 + 1);
    expect(series.get('component')!.get('nova')).toMatchObject({ ready: 7, consumers: 8 });
    expect(series.get('topic')!.get('compute')).toMatchObject({ ready: 7, consumers: 8 });
    expect(series.get('process')!.get('nova-compute:1001@10.0.0.1')).toMatchObject({ consumers: 3, ready: null });
    expect(series.get('process')!.get('nova-conductor:77@10.9.9.9')).toMatchObject({ consumers: 0, publish: 12 });
  });

  it('leaves what a stream retains out of the sums, and keeps it in its own series', () => {
    const inputs = novaComputeCloud(3, [2]);
    inputs.queues.push(makeQueue({ name: 'compute_fanout', type: 'stream', consumers: 3, messagesReady: 5000, arguments: { 'x-queue-type': 'stream' } }));
    const withStream = seriesOf(stateOf(inputs));
    expect(withStream.get('global')!.get('')).toMatchObject({ ready: 7 });
    expect(withStream.get('component')!.get('nova')).toMatchObject({ ready: 7, consumers: 11 });
    expect(withStream.get('topic')!.get('compute')).toMatchObject({ ready: 7 });
    expect(withStream.get('queue')!.get(queueSeriesKey('/', 'compute_fanout'))).toMatchObject({ ready: 5000 });
  });

  it("a host: its per-server queues' counts", () => {
    expect(series.get('host')!.get('compute0002')).toMatchObject({ ready: 7, consumers: 0 });
    expect(series.get('host')!.get('compute0001')).toMatchObject({ ready: 0, consumers: 1 });
  });
});

describe('a cluster of several vhosts', () => {
  /** Two cells: one compute host in each, the second with 5 messages waiting for it. */
  function twoCells() {
    const inputs = emptyInputs({ vhosts: ['cell1', 'cell2'] });
    for (const [vhost, host, waiting] of [['cell1', 'hv-1', 0], ['cell2', 'hv-2', 5]] as const) {
      const s = osloServer('nova', 'compute', host, vhost === 'cell1' ? 'a'.repeat(32) : 'b'.repeat(32), vhost);
      inputs.exchanges.push(...s.exchanges);
      inputs.bindings.push(...s.bindings);
      inputs.queues.push(...s.queues.map((q) => ({ ...q, consumers: 1, messagesReady: q.name === `compute.${host}` ? waiting : 0 })));
    }
    return inputs;
  }

  it("keeps each vhost's part of the broker's, a component's, a topic's and a host's sums", () => {
    const series = seriesOf(stateOf(twoCells()));
    expect(series.get('component')!.get('nova')).toMatchObject({ ready: 5, consumers: 6 });
    expect(series.get('component')!.get(vhostSeriesKey('cell1', 'nova'))).toMatchObject({ ready: 0, consumers: 3 });
    expect(series.get('component')!.get(vhostSeriesKey('cell2', 'nova'))).toMatchObject({ ready: 5, consumers: 3 });
    expect(series.get('topic')!.get(vhostSeriesKey('cell2', 'compute'))).toMatchObject({ ready: 5, consumers: 3 });
    expect(series.get('global')!.get(vhostSeriesKey('cell2', ''))).toMatchObject({ ready: 5, consumers: 3 });
    expect(series.get('host')!.get(vhostSeriesKey('cell1', 'hv-1'))).toMatchObject({ ready: 0, consumers: 1 });
    expect(series.get('host')!.has(vhostSeriesKey('cell1', 'hv-2'))).toBe(false);
  });

  it('has no parts where there is one vhost', () => {
    const keys = [...seriesOf(stateOf(novaComputeCloud(2))).get('component')!.keys()];
    expect(keys).toEqual(['nova']);
  });
});
