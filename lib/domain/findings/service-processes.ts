// Who serves a per-server queue: the processes consuming it now, and those of
// that service on that host that are connected but no longer consume it.
import type { Process, Queue, Topology } from '../types';
import type { Memory } from './types';

/** nova-compute serves `compute`, cinder-volume `cinder-volume`, heat-engine `engine`. */
export function binaryServesTopic(binary: string | null, topic: string): boolean {
  if (!binary) return false;
  return binary === topic || binary.endsWith(`-${topic}`) || binary.endsWith(`_${topic}`);
}

export function serverQueueProcesses(topology: Topology, memory: Memory, queue: Queue, processById: Map<string, Process>) {
  const consuming = queue.processIds.map((id) => processById.get(id)).filter((p): p is Process => p !== undefined);
  if (consuming.length > 0 || !queue.host) return { consuming, idle: [] as Process[] };

  // The processes that consumed it before are the best witnesses, if they are still connected.
  const remembered = memory
    .lastConsumers(queue.vhost, queue.name)
    .map((id) => processById.get(id))
    .filter((p): p is Process => p !== undefined);
  if (remembered.length > 0) return { consuming, idle: remembered };

  // Otherwise: a process on that host that serves the topic, by what it still consumes or by its name.
  const servesTopic = (p: Process) =>
    p.vhosts.includes(queue.vhost) &&
    (p.consumes.some((r) => r.vhost === queue.vhost && queueTopic(topology, r.vhost, r.name) === queue.topic) ||
      (queue.topic !== null && binaryServesTopic(p.binary, queue.topic)));
  const idle = topology.processes.filter((p) => (p.host ?? memory.processHost(p.id)) === queue.host && servesTopic(p));
  if (idle.length > 0) return { consuming, idle };

  // Last: with no host known, one server of the topic consuming no per-server queue and one
  // per-server queue of the topic without consumer can only belong together.
  const unplaced = topology.processes.filter(
    (p) => !p.host && !memory.processHost(p.id) && servesTopic(p) && !p.consumes.some((r) => isServerQueueOf(topology, r.vhost, r.name, queue.topic)),
  );
  const unconsumed = topology.queues.filter((q) => q.vhost === queue.vhost && q.kind === 'rpc-server' && q.topic === queue.topic && q.consumers === 0);
  return { consuming, idle: unplaced.length === 1 && unconsumed.length === 1 ? unplaced : [] };
}

function isServerQueueOf(topology: Topology, vhost: string, name: string, topic: string | null): boolean {
  return name.startsWith(`${topic}.`) && queueTopic(topology, vhost, name) === topic;
}

function queueTopic(topology: Topology, vhost: string, name: string): string | null {
  return topicIndex(topology).get(`${vhost}\u0000${name}`) ?? null;
}

const topicIndexes = new WeakMap<Topology, Map<string, string | null>>();
function topicIndex(topology: Topology): Map<string, string | null> {
  let index = topicIndexes.get(topology);
  if (!index) {
    index = new Map(topology.queues.map((q) => [`${q.vhost}\u0000${q.name}`, q.topic]));
    topicIndexes.set(topology, index);
  }
  return index;
}
