// A replicated queue's members (a quorum queue's, a stream's) judged against the node list.
// The node list is read on every refresh; the broker's `leader` and `online` are read with what
// each queue is, which is the slower topology cadence when the Prometheus plugin gives the counts.
// So the node list says first that a member's node went down or came back, and a leader named
// on a node that is down is most likely one the broker has replaced since.
import type { NodeInput, Queue, QueueInput, Replication } from './types';
import type { ReplicationState } from './vocabulary';

/** How many of its members a Raft group needs up to work: a majority. */
export function quorumOf(members: number): number {
  return Math.floor(members / 2) + 1;
}

/** Whether a node runs, by its name; undefined for a node the list does not name, or without a list (no monitoring tag). */
export type NodeRunning = (node: string) => boolean | undefined;

export function nodeRunning(nodes: readonly NodeInput[]): NodeRunning {
  const running = new Map(nodes.map((n) => [n.name, n.running]));
  return (node) => running.get(node);
}

/** Leader, members and those up of a replicated queue; null where the broker names no members (a classic queue). */
export function replicationOf(q: Pick<QueueInput, 'leader' | 'members' | 'online'>, running: NodeRunning): Replication | null {
  const members = q.members;
  if (!members || members.length === 0) return null;
  const reported = q.online ? new Set(q.online) : null;
  const isUp = (node: string): boolean | undefined => running(node) ?? reported?.has(node);
  const online: string[] = [];
  let known = true;
  for (const m of members) {
    const up = isUp(m);
    if (up === undefined) known = false;
    else if (up) online.push(m);
  }
  const leader = q.leader ?? null;
  const leaderRunning = leader === null ? null : (isUp(leader) ?? null);
  const quorum = quorumOf(members.length);
  return {
    leader,
    leaderRunning,
    members: [...members],
    online: known ? online : null,
    quorum,
    state: known ? stateOf(members.length, online.length, quorum, leader, leaderRunning) : 'unknown',
  };
}

function stateOf(members: number, online: number, quorum: number, leader: string | null, leaderRunning: boolean | null): ReplicationState {
  if (online < quorum) return 'no-quorum';
  if (leader === null) return 'no-leader';
  if (leaderRunning === false) return 'leader-down';
  return online < members ? 'member-down' : 'complete';
}

/**
 * Whether a quorum queue cannot work at all: below its quorum, or no leader although a quorum is
 * up. A leader named on a node that is down, with a quorum up, is not counted: the members up
 * elect another within seconds, and the name is most likely older than the election (read on
 * the topology cadence, up to a minute behind the node list); calling each such queue down would
 * raise, for every node lost, a critical finding per queue it led that the next read clears.
 * Streams are shown as they are and not judged: their readers may go on reading from a replica.
 */
export function quorumLost(q: Pick<Queue, 'type' | 'replication'>): boolean {
  const state = q.replication?.state;
  return q.type === 'quorum' && (state === 'no-quorum' || state === 'no-leader');
}

/** The members the judgement counts as down (none where it does not know). */
export function membersDown(r: Replication): string[] {
  const online = r.online;
  return online === null ? [] : r.members.filter((m) => !online.includes(m));
}
