import { describe, expect, it } from 'vitest';
import { makeQueue } from '@/lib/testing/builders';
import { compareHealth, queueHealth } from './health';
import type { Queue, Replication } from './types';
import type { RuleId } from './vocabulary';

const thresholds = { backlogMessages: 100 };
const queue = (o: Partial<Queue> = {}): Queue => ({
  ...makeQueue({ name: 'compute.node-1', consumers: 1 }),
  kind: 'rpc-server',
  component: 'nova',
  topic: 'compute',
  server: 'node-1',
  host: 'node-1',
  binary: null,
  processIds: [],
  replication: null,
  staleConsumers: 0,
  ...o,
});
const health = (o: Partial<Queue> = {}, rules: RuleId[] = []) => queueHealth(queue(o), new Set(rules), thresholds);

describe('queueHealth', () => {
  it('a consumed queue with nothing piling up is healthy', () => {
    expect(health()).toBe('healthy');
    expect(health({ messagesReady: 99 })).toBe('healthy');
  });
  it('an oslo queue without consumer: unconsumed when messages wait, no-consumer otherwise; any other queue may rest', () => {
    expect(health({ consumers: 0, messagesReady: 5 })).toBe('unconsumed');
    expect(health({ consumers: 0 })).toBe('no-consumer');
    expect(health({ kind: 'other', consumers: 0, messagesReady: 5 })).toBe('healthy');
  });
  it('a backlog from the one threshold, or from a finding that it grows', () => {
    expect(health({ messagesReady: 100 })).toBe('backlog');
    expect(health({ messagesReady: 3 }, ['backlog-growing'])).toBe('backlog');
    expect(health({ kind: 'other', consumers: 0, messagesReady: 5000 })).toBe('backlog');
  });
  it('what a stream holds is retention, never a backlog', () => {
    expect(health({ type: 'stream', kind: 'rpc-fanout', messagesReady: 5000 })).toBe('healthy');
    expect(health({ type: 'stream', kind: 'rpc-fanout', consumers: 0, messagesReady: 5000 })).toBe('no-consumer');
  });
  it('a consumer that acknowledges nothing is stuck, whatever the numbers', () => {
    expect(health({ messagesUnacknowledged: 40 }, ['consumer-stuck'])).toBe('stuck');
  });
  it('a queue whose node is down is unavailable, whatever its kind; one without statistics unknown', () => {
    expect(health({ kind: 'other', state: 'down' })).toBe('unavailable');
    expect(health({ state: 'crashed', consumers: null })).toBe('unavailable');
    expect(health({ consumers: null })).toBe('unknown');
  });
});

describe('queueHealth of a quorum queue', () => {
  const replication = (o: Partial<Replication>): Replication => ({
    leader: 'rabbit@n1', leaderRunning: true, members: ['rabbit@n1', 'rabbit@n2', 'rabbit@n3'], online: ['rabbit@n1', 'rabbit@n2', 'rabbit@n3'], quorum: 2, state: 'complete', ...o,
  });

  it('is unavailable below its quorum or without a leader, whatever its (possibly older) numbers say', () => {
    expect(health({ type: 'quorum', replication: replication({ online: ['rabbit@n1'], state: 'no-quorum' }) })).toBe('unavailable');
    expect(health({ type: 'quorum', replication: replication({ leader: null, leaderRunning: null, state: 'no-leader' }), consumers: null })).toBe('unavailable');
  });

  it('is judged by its numbers while a quorum of its replicas is up', () => {
    expect(health({ type: 'quorum', replication: replication({ online: ['rabbit@n1', 'rabbit@n2'], state: 'member-down' }) })).toBe('healthy');
    expect(health({ type: 'quorum', replication: replication({ leaderRunning: false, online: ['rabbit@n2', 'rabbit@n3'], state: 'leader-down' }), consumers: 0, messagesReady: 4 })).toBe('unconsumed');
  });
});

describe('ordering health', () => {
  it('puts the worst first', () => {
    expect(compareHealth('unconsumed', 'backlog')).toBeLessThan(0);
  });
});
