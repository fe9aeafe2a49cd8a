// The diagnosis rules: a table of rules with stable ids, each a pure function of
// the model, its recent history and what earlier refreshes remembered.
import type { HistorySample, NodeInput, Process, Queue } from '../types';
import { formatDuration } from '../format';
import { serverQueueProcesses } from './service-processes';
import type { FindingDraft, FindingSubject, Rule, RuleContext, RuleId } from './types';

const queueSubject = (q: Queue): FindingSubject => ({ type: 'queue', vhost: q.vhost, name: q.name });
const noConsumer = (q: Queue) => q.consumers === 0;
const ready = (q: Queue) => q.messagesReady ?? 0;
const describeProcess = (p: Process) => `${p.binary ?? 'process'} (pid ${p.pid ?? '?'}${p.peerHost ? `, ${p.peerHost}` : ''})`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Where OpenStack itself would show this service as up. */
function serviceListCommand(component: string | null): string {
  const commands: Record<string, string> = {
    nova: '"openstack compute service list"',
    openstack: '"openstack volume service list"',
    neutron: '"openstack network agent list"',
    heat: '"openstack orchestration service list"',
  };
  return (component && commands[component]) ?? 'its service list';
}

function expiresAfter(q: Queue): string {
  const ms = q.arguments['x-expires'];
  return typeof ms === 'number' ? formatDuration(ms) : 'none';
}

function expiresIn(q: Queue): string {
  const after = expiresAfter(q);
  return after === 'none' ? 'never (no x-expires): it stays until deleted' : `after ${after} without a consumer`;
}

/** The queue's own samples inside the observation window, when there are enough of them to judge a trend. */
function windowOf(ctx: RuleContext, q: Queue): HistorySample[] | null {
  const from = ctx.now - ctx.thresholds.windowMs;
  const samples = ctx.queueHistory(q.vhost, q.name).filter((s) => s.t >= from);
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || samples.length < ctx.thresholds.minSamples) return null;
  // A trend needs most of the window covered, not three samples from the last seconds.
  if (last.t - first.t < ctx.thresholds.windowMs / 2) return null;
  return samples;
}

const rpcServerUnconsumed: Rule = {
  description: 'A per-server RPC queue (<topic>.<server>) that nobody consumes: requests to that host wait.',
  evaluate: (ctx) =>
    ctx.topology.queues.filter((q) => q.kind === 'rpc-server' && noConsumer(q)).map((q): FindingDraft => {
      const { idle } = serverQueueProcesses(ctx.topology, ctx.memory, q);
      const waiting = ready(q);
      const host = q.host ?? q.server ?? '?';
      const evidence = {
        waiting,
        consumers: 0,
        server: q.server,
        'connected processes': idle.map(describeProcess).join(', ') || 'none',
        'publishing (msg/s)': idle.length ? Number(idle.reduce((s, p) => s + (p.rates?.publish ?? 0), 0).toFixed(2)) : null,
      };
      if (idle.length > 0) {
        const who = idle.map(describeProcess).join(', ');
        return {
          severity: 'critical',
          subject: queueSubject(q),
          component: q.component,
          host,
          title: `${q.topic} on ${host} is up but does nothing: ${idle[0]?.binary ?? 'its process'} is connected and does not consume ${q.name}`,
          explanation:
            `${who} is still connected to the broker${evidence['publishing (msg/s)'] ? ' and still publishing' : ''}, so it keeps reporting its state and ` +
            `${serviceListCommand(q.component)} calls it up — but nothing consumes ${q.name}, ` +
            `so every request sent to this host (${plural(waiting, 'request')} waiting now) sits in the queue until it times out. ` +
            'The usual cause: its consumer was cancelled (a broker failover, the queue deleted and re-created, a node restart) and the process never re-subscribed. ' +
            `Check its log for AMQP errors around the time the queue lost its consumer; restarting the service on ${host} re-creates the consumer. Ping it from the service list to confirm.`,
          evidence,
        };
      }
      return {
        severity: waiting > 0 ? 'critical' : 'warning',
        subject: queueSubject(q),
        component: q.component,
        host,
        title: `${q.topic} on ${host} is down: no process consumes ${q.name}`,
        explanation:
          `No process of this service is connected from ${host} and nothing consumes ${q.name}. ` +
          (waiting > 0 ? `${plural(waiting, 'request')} wait there and will time out. ` : '') +
          `Either the service on ${host} is stopped or cannot reach the broker (check it on the host: systemctl status, its log, its transport_url), ` +
          'or the host was decommissioned and the queue is a leftover that can be deleted.',
        evidence,
      };
    }),
};

const rpcTopicUnconsumed: Rule = {
  description: 'A shared RPC topic queue that no server consumes at all.',
  evaluate: (ctx) =>
    ctx.topology.queues.filter((q) => q.kind === 'rpc-topic' && noConsumer(q)).map((q) => ({
      severity: 'critical' as const,
      subject: queueSubject(q),
      component: q.component,
      title: `No ${q.topic} server is consuming: ${plural(ready(q), 'request')} wait in ${q.name}`,
      explanation:
        `Every ${q.component ?? 'OpenStack'} server of topic "${q.topic}" consumes the shared queue ${q.name}; none does now. ` +
        'Calls and casts to the topic without a server (e.g. to any scheduler or conductor) wait there until they time out. ' +
        `Check that at least one ${q.topic} service runs and is connected to this broker and vhost (${q.vhost}).`,
      evidence: { waiting: ready(q), consumers: 0, 'per-server queues': ctx.topology.index.topic(q.vhost, q.topic!)?.serverQueues.length ?? 0 },
    })),
};

const consumerStuck: Rule = {
  description: 'A consumed queue whose consumers take deliveries but acknowledge nothing over the window.',
  evaluate: (ctx) =>
    ctx.topology.queues.flatMap((q): FindingDraft[] => {
      const unacked = q.messagesUnacknowledged ?? 0;
      if (!q.consumers || unacked === 0 || q.rates === null) return [];
      const samples = windowOf(ctx, q);
      if (!samples) return [];
      const noAcks = samples.every((s) => s.ack !== null && s.ack === 0);
      const alwaysUnacked = samples.every((s) => (s.unacknowledged ?? 0) > 0);
      if (!noAcks || !alwaysUnacked || q.rates.ack > 0) return [];
      const first = samples[0]?.unacknowledged ?? 0;
      const consumers = ctx.topology.index.consumersOf(q.vhost, q.name);
      const processes = ctx.topology.index.processesOf([...new Set(consumers.flatMap((c) => (c.processId ? [c.processId] : [])))]);
      return [
        {
          severity: 'critical',
          subject: queueSubject(q),
          component: q.component,
          host: q.host ?? processes[0]?.host ?? null,
          title: `${processes[0] ? describeProcess(processes[0]) : 'A consumer'} takes messages from ${q.name} but acknowledges none`,
          explanation:
            `${plural(unacked, 'message')} ${unacked === 1 ? 'is' : 'are'} delivered and unacknowledged and no acknowledgement came for ${formatDuration(ctx.thresholds.windowMs)}` +
            `${unacked > first ? ` (up from ${first})` : ''}. oslo.messaging acknowledges a request as soon as it takes it, so a consumer that holds messages without acking is stuck: ` +
            'a blocked thread or executor pool, a deadlock, or a process frozen on I/O. Requests it took are not being served, and with no prefetch limit it keeps taking more. ' +
            'Look at the process (py-spy dump, its log); restarting it returns the unacknowledged messages to the queue.',
          evidence: { unacknowledged: unacked, 'unacknowledged at start of window': first, 'ack rate (msg/s)': q.rates.ack, consumers: q.consumers, processes: processes.map(describeProcess).join(', ') || 'unknown' },
        },
      ];
    }),
};

const backlogGrowing: Rule = {
  description: 'Ready messages rising over the window on a queue that has consumers: they are too slow.',
  evaluate: (ctx) =>
    ctx.topology.queues.flatMap((q): FindingDraft[] => {
      if (!q.consumers || q.type === 'stream') return [];
      const samples = windowOf(ctx, q);
      if (!samples) return [];
      const values = samples.map((s) => s.ready ?? 0);
      const first = values[0] ?? 0;
      const last = values.at(-1) ?? 0;
      const peak = Math.max(...values);
      if (last - first < ctx.thresholds.backlogGrowth || last < peak * 0.9) return [];
      const perMinute = ((last - first) / Math.max(1, (samples.at(-1)!.t - samples[0]!.t) / 60_000)).toFixed(0);
      return [
        {
          severity: 'warning',
          subject: queueSubject(q),
          component: q.component,
          host: q.host,
          title: `Backlog growing in ${q.name}: ${first} → ${last} ready in ${formatDuration(samples.at(-1)!.t - samples[0]!.t)}`,
          explanation:
            `Messages arrive faster than its ${plural(q.consumers, 'consumer')} take${q.consumers === 1 ? 's' : ''} them (about ${perMinute} more per minute). ` +
            'If it goes on, requests wait longer and calls start to time out. Look at what the consumers are doing (slow database, a blocked executor, too few workers) ' +
            'or at what floods the queue (the publish rate below).',
          evidence: { 'ready at start': first, 'ready now': last, consumers: q.consumers, 'publish (msg/s)': q.rates?.publish ?? null, 'deliver (msg/s)': q.rates?.deliver ?? null },
        },
      ];
    }),
};

const orphanedReplyQueue: Rule = {
  description: 'A reply queue without consumer: its caller is gone, replies sent there are lost.',
  evaluate: (ctx) =>
    ctx.topology.queues.filter((q) => q.kind === 'reply' && noConsumer(q)).map((q) => {
      const messages = ready(q);
      return {
        severity: messages > 0 ? ('warning' as const) : ('info' as const),
        subject: queueSubject(q),
        component: q.component,
        host: q.host,
        title: `Orphaned reply queue ${q.name}${q.binary ? ` of ${q.binary}${q.host ? ` on ${q.host}` : ''}` : ''}`,
        explanation:
          'A process creates its reply queue when it makes its first RPC call and consumes it while it lives; this one has no consumer, so its process died or reconnected with a new queue. ' +
          `Replies sent to it are lost (${plural(messages, 'message')} here now). The broker deletes it ${expiresIn(q)}. ` +
          'One is harmless; many, or new ones appearing all the time, mean processes restarting or leaking connections.',
        evidence: { messages, 'x-expires': expiresAfter(q), 'idle since': q.idleSince },
      };
    }),
};

const orphanedFanoutQueue: Rule = {
  description: 'A fanout queue without consumer: messages accumulate until it expires.',
  evaluate: (ctx) =>
    ctx.topology.queues.filter((q) => q.kind === 'rpc-fanout' && q.type !== 'stream' && noConsumer(q)).map((q) => {
      const messages = ready(q);
      return {
        severity: messages > 0 ? ('warning' as const) : ('info' as const),
        subject: queueSubject(q),
        component: q.component,
        host: q.host,
        title: `Orphaned fanout queue of ${q.topic}: ${plural(messages, 'message')} piling up in ${q.name}`,
        explanation:
          `Each ${q.topic} server has its own fanout queue bound to ${q.topic}_fanout; this one has no consumer, so the process that owned it is gone. ` +
          `Every fanout cast to ${q.topic} is still copied into it and piles up until the broker deletes it ${expiresIn(q)}. ` +
          'If the process was restarted this clears by itself; if it was not, that server misses every fanout message (e.g. agents missing port or security group updates).',
        evidence: { messages, 'x-expires': expiresAfter(q) },
      };
    }),
};

const notificationsUnconsumed: Rule = {
  description: 'A notification queue with messages and no consumer: it grows without bound.',
  evaluate: (ctx) =>
    ctx.topology.queues
      .filter((q) => q.kind === 'notification' && noConsumer(q) && ready(q) >= ctx.thresholds.notificationMessages)
      .map((q) => ({
        severity: 'warning' as const,
        subject: queueSubject(q),
        component: q.component,
        title: `Nobody consumes ${q.name}: ${plural(ready(q), 'notification')} waiting`,
        explanation:
          'Services publish notifications whether or not anyone listens; the queue is created by the first publisher and grows without bound when no listener (ceilometer, a billing or audit consumer) reads it. ' +
          'It costs broker memory and disk until an alarm blocks every publisher. Either start the consumer, or stop producing them ' +
          '(oslo_messaging_notifications driver = noop in the services that send them) and purge or delete the queue.',
        evidence: { messages: ready(q), 'publish (msg/s)': q.rates?.publish ?? null },
      })),
};

function alarms(nodes: readonly NodeInput[]): string[] {
  return nodes.flatMap((n) => [
    ...(n.memAlarm ? [`memory alarm on ${n.name}`] : []),
    ...(n.diskFreeAlarm ? [`disk alarm on ${n.name}`] : []),
  ]);
}

const connectionBlocked: Rule = {
  description: 'Connections in blocked or blocking state: a resource alarm stops publishers.',
  immediate: true,
  evaluate: (ctx) => {
    const blocked = ctx.topology.connections.filter((c) => c.state === 'blocked' || c.state === 'blocking');
    const causes = alarms(ctx.topology.nodes);
    const byProcess = new Map<string, typeof blocked>();
    for (const c of blocked) {
      const key = c.processId ?? c.name;
      byProcess.set(key, [...(byProcess.get(key) ?? []), c]);
    }
    return [...byProcess.values()].map((conns) => {
      const c = conns[0]!;
      const p = c.processId ? ctx.topology.index.process(c.processId) : undefined;
      return {
        severity: 'critical' as const,
        subject: { type: 'connection' as const, name: c.name, processId: c.processId },
        host: p?.host ?? null,
        title: `${p ? describeProcess(p) : c.name} is ${c.state}: the broker stopped reading what it publishes`,
        explanation:
          `${causes.length ? `The broker raised a resource alarm (${causes.join(', ')})` : 'The broker applies a resource alarm'} and blocks every connection that publishes until it clears. ` +
          'Publishers hang: RPC calls and casts from every service stop, so the whole cloud stalls. Free memory or disk on the broker node ' +
          '(drain or purge growing queues, see the other findings) — the alarm clears and the connections resume by themselves.',
        evidence: { connections: conns.length, state: c.state, alarms: causes.join(', ') || 'not reported (the monitoring tag is needed for /api/nodes)' },
      };
    });
  },
};

const nodeAlarm: Rule = {
  description: 'A broker node with a memory or disk alarm, not running, or in a network partition.',
  immediate: true,
  evaluate: (ctx) =>
    ctx.topology.nodes.flatMap((n): FindingDraft[] => {
      const homed = n.running ? [] : ctx.topology.queues.filter((q) => q.node === n.name);
      const problems = [
        ...(n.running ? [] : ['not running']),
        ...(n.memAlarm ? ['memory alarm'] : []),
        ...(n.diskFreeAlarm ? ['disk alarm'] : []),
        ...(n.partitions.length ? [`partitioned from ${n.partitions.join(', ')}`] : []),
      ];
      if (problems.length === 0) return [];
      return [
        {
          severity: 'critical',
          subject: { type: 'node', name: n.name },
          title: `Broker node ${n.name}: ${problems.join(', ')}`,
          explanation: [
            !n.running && 'The node is down: queues whose leader or home is on it are unavailable until it returns, and clients connected to it reconnect elsewhere.',
            n.memAlarm && `Memory use ${n.memUsed !== null && n.memLimit !== null ? `(${Math.round(n.memUsed / 2 ** 20)} MiB of a ${Math.round(n.memLimit / 2 ** 20)} MiB limit) ` : ''}is above the high watermark: every publishing connection is blocked until it drops.`,
            n.diskFreeAlarm && 'Free disk is below the limit: every publishing connection is blocked until space is freed.',
            n.partitions.length > 0 && 'The cluster is split: nodes disagree on what exists, and clients on either side may see different queues. Restart the minority side once the network is back.',
          ]
            .filter(Boolean)
            .join(' '),
          evidence: {
            running: n.running,
            'memory alarm': n.memAlarm,
            'disk alarm': n.diskFreeAlarm,
            partitions: n.partitions.join(', ') || 'none',
            'memory used (MiB)': n.memUsed === null ? null : Math.round(n.memUsed / 2 ** 20),
            ...(n.running ? {} : { 'queues homed or led there': homed.length, 'for example': homed.slice(0, 3).map((q) => q.name).join(', ') || 'none' }),
          },
        },
      ];
    }),
};

/** Every rule by its id: a rule without an id, or an id without a rule, does not compile. */
export const RULES: Readonly<Record<RuleId, Rule>> = Object.freeze({
  'rpc-server-unconsumed': rpcServerUnconsumed,
  'rpc-topic-unconsumed': rpcTopicUnconsumed,
  'consumer-stuck': consumerStuck,
  'backlog-growing': backlogGrowing,
  'orphaned-reply-queue': orphanedReplyQueue,
  'orphaned-fanout-queue': orphanedFanoutQueue,
  'notifications-unconsumed': notificationsUnconsumed,
  'connection-blocked': connectionBlocked,
  'node-alarm': nodeAlarm,
});
