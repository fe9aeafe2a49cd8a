// Who serves a per-server queue: the processes consuming it now, and those of
// that service on that host that are connected but no longer consume it.
import type { Process, Queue, Topology } from '../types';
import type { Memory } from './types';

/** nova-compute serves `compute`, cinder-volume `cinder-volume`, heat-engine `engine`. */
export function binaryServesTopic(binary: string | null, topic: string): boolean {
  if (!binary) return false;
  return binary === topic || binary.endsWith(`-${topic}`) || binary.endsWith(`_${topic}`);
}

export function serverQueueProcesses(topology: Topology, memory: Memory, queue: Queue): { consuming: Process[]; idle: Process[] } {
  const { index } = topology;
  const consuming = index.processesOf(queue.processIds);
  if (consuming.length > 0 || !queue.host) return { consuming, idle: [] };

  // The processes that consumed it before are the best witnesses, if they are still connected.
  const remembered = index.processesOf(memory.lastConsumers(queue.vhost, queue.name));
  if (remembered.length > 0) return { consuming, idle: remembered };

  // Otherwise: a process on that host that serves the topic, by what it still consumes or by its name.
  const topicOf = (r: { vhost: string; name: string }) => index.queue(r.vhost, r.name)?.topic ?? null;
  const servesTopic = (p: Process) =>
    p.vhosts.includes(queue.vhost) &&
    (p.consumes.some((r) => r.vhost === queue.vhost && topicOf(r) === queue.topic) || (queue.topic !== null && binaryServesTopic(p.binary, queue.topic)));
  const idle = topology.processes.filter((p) => (p.host ?? memory.processHost(p.id)) === queue.host && servesTopic(p));
  if (idle.length > 0) return { consuming, idle };

  // Last: with no host known, one server of the topic consuming no per-server queue and one
  // per-server queue of the topic without consumer can only belong together.
  const isServerQueueOfTopic = (r: { vhost: string; name: string }) => {
    const q = index.queue(r.vhost, r.name);
    return q?.kind === 'rpc-server' && q.topic === queue.topic;
  };
  const unplaced = topology.processes.filter((p) => !p.host && !memory.processHost(p.id) && servesTopic(p) && !p.consumes.some(isServerQueueOfTopic));
  const unconsumed = (index.topic(queue.vhost, queue.topic ?? '')?.serverQueues ?? [])
    .map((name) => index.queue(queue.vhost, name))
    .filter((q) => q?.consumers === 0);
  return { consuming, idle: unplaced.length === 1 && unconsumed.length === 1 ? unplaced : [] };
}
