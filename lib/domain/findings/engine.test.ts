import { describe, expect, it } from 'vitest';
import { emptyInputs, makeConnection, makeConsumer, osloServer } from '@/lib/testing/builders';
import { buildTopology } from '../topology';
import { type FindingScope, isAbout } from './engine';
import type { FindingSubject } from './types';

// Two vhosts (nova cells): nova-compute X connected in cell1, Y in cell2.
const cell1 = osloServer('nova', 'compute', 'node-1', '0123456789abcdef0123456789abcdef', 'cell1');
const cell2 = osloServer('nova', 'compute', 'node-2', 'fedcba9876543210fedcba9876543210', 'cell2');
const connX = makeConnection({ name: 'cx', vhost: 'cell1', clientConnectionName: 'nova-compute:1:5720bf7e-7bad-4af4-84f1-7fba0c68b74b', peerHost: '10.0.0.1' });
const connY = makeConnection({ name: 'cy', vhost: 'cell2', clientConnectionName: 'nova-compute:2:5720bf7e-7bad-4af4-84f1-7fba0c68b74b', peerHost: '10.0.0.2' });
const topology = buildTopology(
  emptyInputs({
    vhosts: ['cell1', 'cell2'],
    exchanges: [...cell1.exchanges, ...cell2.exchanges],
    queues: [...cell1.queues, ...cell2.queues],
    bindings: [...cell1.bindings, ...cell2.bindings],
    connections: [connX, connY],
    consumers: [makeConsumer('compute', 'cx', { vhost: 'cell1' }), makeConsumer('compute', 'cy', { vhost: 'cell2' })],
  }),
);
const [x, y] = ['nova-compute:1@10.0.0.1', 'nova-compute:2@10.0.0.2'];

const about = (id: string, subject: FindingSubject) => ({ id, subject });
const findings = [
  about('queue-cell1', { type: 'queue', vhost: 'cell1', name: 'compute.node-1' }),
  about('queue-cell2', { type: 'queue', vhost: 'cell2', name: 'compute.node-1' }),
  about('process-x', { type: 'process', id: x }),
  about('conn-x', { type: 'connection', name: 'cx', processId: x }),
  about('conn-y', { type: 'connection', name: 'cy', processId: y }),
  about('orphan-conn', { type: 'connection', name: 'gone', processId: null }),
  about('node', { type: 'node', name: 'rabbit@a' }),
];
const ids = (scope: FindingScope) => findings.filter((f) => isAbout(f, scope, topology.index)).map((f) => f.id);

describe('isAbout', () => {
  it('narrows to one vhost alone: its queues, the processes and connections in it, no broker node', () => {
    expect(ids({ vhost: 'cell1' })).toEqual(['queue-cell1', 'process-x', 'conn-x']);
    expect(ids({ vhost: 'cell2' })).toEqual(['queue-cell2', 'conn-y']);
  });
  it('a queue: that name, in that vhost when one is given', () => {
    expect(ids({ queue: 'compute.node-1' })).toEqual(['queue-cell1', 'queue-cell2']);
    expect(ids({ vhost: 'cell2', queue: 'compute.node-1' })).toEqual(['queue-cell2']);
  });
  it('a process: itself and its connections', () => {
    expect(ids({ process: x })).toEqual(['process-x', 'conn-x']);
  });
  it('no scope: everything', () => {
    expect(ids({})).toHaveLength(findings.length);
  });
});
