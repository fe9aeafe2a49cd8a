import { describe, expect, it } from 'vitest';
import { makeQueue } from '@/lib/testing/builders';
import { membersDown, nodeRunning, quorumLost, quorumOf, replicationOf } from './replication';
import type { NodeInput, QueueInput } from './types';

const node = (name: string, running = true): NodeInput => ({
  name, running, type: 'disc', memAlarm: false, diskFreeAlarm: false, partitions: [], memUsed: null, memLimit: null, fdUsed: null, fdTotal: null, uptimeMs: null,
});
const THREE = ['rabbit@n1', 'rabbit@n2', 'rabbit@n3'];
const cluster = (...down: string[]) => nodeRunning(THREE.map((n) => node(n, !down.includes(n))));
const noNodeList = nodeRunning([]);
/** A quorum queue as the broker last described it: every member up, led from n1. */
const quorum = (o: Partial<QueueInput> = {}) =>
  makeQueue({ name: 'compute.node-1', type: 'quorum', leader: 'rabbit@n1', members: THREE, online: THREE, ...o });

describe('quorumOf', () => {
  it('is a majority of the members', () => {
    expect([1, 2, 3, 4, 5].map(quorumOf)).toEqual([1, 2, 2, 3, 3]);
  });
});

describe('replicationOf', () => {
  it('is null for a queue whose members the broker does not name (classic, RabbitMQ 3.x streams)', () => {
    expect(replicationOf(makeQueue({ name: 'reply_x' }), cluster())).toBeNull();
    expect(replicationOf(makeQueue({ name: 'compute_fanout', type: 'stream', members: null }), cluster())).toBeNull();
  });

  it('is complete with every member up and its leader running', () => {
    expect(replicationOf(quorum(), cluster())).toEqual({
      leader: 'rabbit@n1', leaderRunning: true, members: THREE, online: THREE, quorum: 2, state: 'complete',
    });
  });

  it('takes the node list, read every refresh, over the online members the broker said with the topology', () => {
    // The broker still said all three were up; the node list now says n3 is down.
    expect(replicationOf(quorum(), cluster('rabbit@n3'))).toMatchObject({ online: ['rabbit@n1', 'rabbit@n2'], state: 'member-down' });
    // The broker said n3 was out; the node list says it is back.
    expect(replicationOf(quorum({ online: ['rabbit@n1', 'rabbit@n2'] }), cluster())).toMatchObject({ online: THREE, state: 'complete' });
  });

  it('takes the broker\'s online members where the node list does not name the node, or there is no list', () => {
    const r = replicationOf(quorum({ online: ['rabbit@n1', 'rabbit@n2'] }), noNodeList);
    expect(r).toMatchObject({ online: ['rabbit@n1', 'rabbit@n2'], leaderRunning: true, state: 'member-down' });
    expect(replicationOf(quorum({ members: [...THREE, 'rabbit@gone'], online: THREE }), cluster())).toMatchObject({ online: THREE, quorum: 3, state: 'member-down' });
  });

  it('is below quorum with fewer members up than a majority, whoever leads', () => {
    expect(replicationOf(quorum(), cluster('rabbit@n2', 'rabbit@n3'))).toMatchObject({ online: ['rabbit@n1'], state: 'no-quorum' });
    expect(replicationOf(quorum({ members: ['rabbit@n1'], online: ['rabbit@n1'] }), cluster('rabbit@n1'))).toMatchObject({ online: [], quorum: 1, state: 'no-quorum' });
  });

  it('has no leader when the broker names none although a quorum is up', () => {
    expect(replicationOf(quorum({ leader: null }), cluster())).toMatchObject({ leader: null, leaderRunning: null, state: 'no-leader' });
  });

  it('calls a leader on a node that is down, with a quorum up, a leader being replaced', () => {
    expect(replicationOf(quorum(), cluster('rabbit@n1'))).toMatchObject({ leader: 'rabbit@n1', leaderRunning: false, online: ['rabbit@n2', 'rabbit@n3'], state: 'leader-down' });
  });

  it('says unknown when neither the node list nor the broker tells which members are up', () => {
    expect(replicationOf(quorum({ online: null }), noNodeList)).toMatchObject({ online: null, leaderRunning: null, state: 'unknown' });
  });
});

describe('quorumLost', () => {
  const judged = (q: ReturnType<typeof quorum>, running = cluster()) => ({ type: q.type, replication: replicationOf(q, running) });

  it('holds for a quorum queue below its quorum or without a leader, not for one that lost a member or its leader\'s node', () => {
    expect(quorumLost(judged(quorum(), cluster('rabbit@n2', 'rabbit@n3')))).toBe(true);
    expect(quorumLost(judged(quorum({ leader: null })))).toBe(true);
    expect(quorumLost(judged(quorum(), cluster('rabbit@n1')))).toBe(false);
    expect(quorumLost(judged(quorum(), cluster('rabbit@n3')))).toBe(false);
    expect(quorumLost(judged(quorum()))).toBe(false);
  });

  it('does not judge streams, nor queues without replicas', () => {
    expect(quorumLost(judged(quorum({ type: 'stream' }), cluster('rabbit@n2', 'rabbit@n3')))).toBe(false);
    expect(quorumLost({ type: 'classic', replication: null })).toBe(false);
  });
});

describe('membersDown', () => {
  it('lists the members not up, none where it is not known', () => {
    expect(membersDown(replicationOf(quorum(), cluster('rabbit@n2'))!)).toEqual(['rabbit@n2']);
    expect(membersDown(replicationOf(quorum({ online: null }), noNodeList)!)).toEqual([]);
  });
});
