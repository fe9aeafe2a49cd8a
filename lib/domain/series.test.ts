import { describe, expect, it } from 'vitest';
import { makeQueue, novaComputeCloud } from '@/lib/testing/builders';
import { stateOf } from '@/lib/testing/state';
import { queueSeriesKey, seriesOf } from './series';

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
