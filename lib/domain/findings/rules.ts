// The diagnosis rules: a table of rules with stable ids, each a pure function of
// the model, its recent history and what earlier refreshes remembered.
import type { HistorySample, NodeInput, Process, Queue } from '../types';
import type { QueueKind } from '../vocabulary';
import { compareNatural, formatDuration, plural } from '../format';
import { refKey } from '../keys';
import { membersDown, quorumLost } from '../replication';
import { parseVersion } from '../upgrade';
import { serverQueueProcesses } from './service-processes';
import { type FindingDraft, type FindingSubject, historyReachMs, type Rule, type RuleContext, type RuleId, type ServiceSeen } from './types';

const queueSubject = (q: Queue): FindingSubject => ({ type: 'queue', vhost: q.vhost, name: q.name });
const noConsumer = (q: Queue) => q.consumers === 0;
const ready = (q: Queue) => q.messagesReady ?? 0;
const describeProcess = (p: Process) => `${p.binary ?? 'process'} (pid ${p.pid ?? '?'}${p.peerHost ? `, ${p.peerHost}` : ''})`;

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
  return coveringWindow(ctx, ctx.queueHistory(q.vhost, q.name));
}

/** Of samples read already, those inside the observation window, when there are enough of them to judge a trend. */
function coveringWindow(ctx: RuleContext, read: readonly HistorySample[]): HistorySample[] | null {
  const from = ctx.now - ctx.thresholds.windowMs;
  const samples = read.filter((s) => s.t >= from);
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

/**
 * oslo.messaging acknowledges what an RPC server or a reply waiter takes as soon as it takes it
 * (before the call runs); a notification listener only once its endpoint has handled it.
 */
const ACKS_ON_RECEIPT: ReadonlySet<QueueKind> = new Set(['rpc-topic', 'rpc-server', 'rpc-fanout', 'reply']);

/** How long the queue's latest samples have all held messages without an acknowledgement, ms; null when the last one does not. */
function heldWithoutAck(samples: readonly HistorySample[]): number | null {
  let first: HistorySample | null = null;
  for (let k = samples.length - 1; k >= 0; k--) {
    const s = samples[k]!;
    if (s.ack === null || s.ack > 0 || (s.unacknowledged ?? 0) === 0) break;
    first = s;
  }
  const last = samples.at(-1);
  return first && last && first !== last ? last.t - first.t : null;
}

const consumerStuck: Rule = {
  description: 'A consumed queue whose consumers take deliveries and acknowledge none: for an oslo RPC queue, held for seconds; otherwise over the window.',
  evaluate: (ctx) =>
    ctx.topology.queues.flatMap((q): FindingDraft[] => {
      const unacked = q.messagesUnacknowledged ?? 0;
      if (!q.consumers || unacked === 0 || q.rates === null || q.rates.ack > 0) return [];
      const samples = ctx.queueHistory(q.vhost, q.name).filter((s) => s.t >= ctx.now - historyReachMs(ctx.thresholds));
      const held = heldWithoutAck(samples);
      const acksOnReceipt = ACKS_ON_RECEIPT.has(q.kind);
      if (held === null || held < (acksOnReceipt ? ctx.thresholds.heldMs : ctx.thresholds.windowMs / 2)) return [];
      if (!acksOnReceipt && coveringWindow(ctx, samples) === null) return [];
      const heldFrom = samples.at(-1)!.t - held;
      const first = samples.find((s) => s.t >= heldFrom)?.unacknowledged ?? 0;
      const consumers = ctx.topology.index.consumersOf(q.vhost, q.name);
      const processes = ctx.topology.index.processesOf([...new Set(consumers.flatMap((c) => (c.processId ? [c.processId] : [])))]);
      const why = acksOnReceipt
        ? 'oslo.messaging acknowledges a request the moment its server takes it, before the call runs, so a request held unacknowledged for seconds says the process does not read its socket: ' +
          'it is frozen (stopped, paused in a debugger, swapping), blocked in a native call, or its executor pool is full. '
        : 'Its consumer takes messages and acknowledges none: a blocked thread or executor pool, a deadlock, or a process frozen on I/O. ';
      return [
        {
          severity: 'critical',
          subject: queueSubject(q),
          startedAt: heldFrom,
          component: q.component,
          host: q.host ?? processes[0]?.host ?? null,
          title: `${processes[0] ? describeProcess(processes[0]) : 'A consumer'} holds ${plural(unacked, 'message')} from ${q.name} unacknowledged: stuck`,
          explanation:
            `${plural(unacked, 'message')} ${unacked === 1 ? 'is' : 'are'} delivered and unacknowledged and no acknowledgement came for ${formatDuration(held)}` +
            `${unacked > first ? ` (up from ${first})` : ''}. ${why}` +
            'Requests it took are not being served, and with no prefetch limit it keeps taking more. ' +
            'Look at the process (its state in ps, py-spy dump, its log); restarting it returns the unacknowledged messages to the queue.',
          evidence: { unacknowledged: unacked, 'held for (s)': Math.round(held / 1000), 'ack rate (msg/s)': q.rates.ack, consumers: q.consumers, processes: processes.map(describeProcess).join(', ') || 'unknown' },
        },
      ];
    }),
};

const backlogGrowing: Rule = {
  description: 'Ready messages rising over the window on a queue that has consumers: they are too slow.',
  evaluate: (ctx) =>
    ctx.topology.queues.flatMap((q): FindingDraft[] => {
      // The window ends with this refresh: fewer ready now than the growth asked for cannot have grown by it.
      if (!q.consumers || q.type === 'stream' || (q.messagesReady ?? 0) < ctx.thresholds.backlogGrowth) return [];
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
        evidence: { messages, 'x-expires': expiresAfter(q), 'idle since': q.idleSince === null ? null : new Date(q.idleSince).toISOString() },
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

/** From one connection every 10 s: an oslo service refused by the broker reconnects every few seconds. */
const CHURN_MIN_PER_S = 0.1;
const perMinute = (perSecond: number) => Math.round(perSecond * 60);

function goneServicesText(gone: readonly ServiceSeen[]): string {
  const hosts = (s: ServiceSeen) => (s.hosts.length ? ` on ${s.hosts.slice(0, 5).join(', ')}${s.hosts.length > 5 ? ` and ${s.hosts.length - 5} more` : ''}` : '');
  return gone.map((s) => `${s.binary}${hosts(s)} (vhost ${s.vhost})`).join('; ');
}

const clientsRefused: Rule = {
  description:
    'Clients connect, declare queues and are closed again and again while no queue is created: the broker refuses what they declare (RabbitMQ 4.3 denies transient non-exclusive queues by default). A service in that loop consumes nothing and has no queue.',
  // A reconnect wave after a node restart looks alike for a few seconds: what lasts half a minute is a loop.
  graceMs: 30_000,
  evaluate: (ctx) => {
    const { churn, rabbitmqVersion } = ctx.topology.overview;
    const version = parseVersion(rabbitmqVersion);
    // Denials of deprecated features exist from RabbitMQ 4.0 (by configuration; by default from 4.3).
    if (!churn || !version || version[0] < 4) return [];
    const loop =
      churn.connectionsOpened >= CHURN_MIN_PER_S &&
      churn.connectionsClosed >= churn.connectionsOpened / 2 &&
      churn.queuesDeclared >= CHURN_MIN_PER_S &&
      churn.queuesCreated <= churn.queuesDeclared / 10;
    if (!loop) return [];
    // A refused service may keep the connections it only publishes on: gone is what no longer consumes.
    const serving = new Set(ctx.topology.processes.flatMap((p) => (p.binary ? p.consumes.map((q) => refKey(q.vhost, p.binary!)) : [])));
    const gone = ctx.memory
      .servicesSeen()
      .filter((s) => !serving.has(refKey(s.vhost, s.binary)))
      .sort((a, b) => compareNatural(a.binary, b.binary) || compareNatural(a.vhost, b.vhost));
    const node = ctx.topology.nodes[0]?.name ?? 'the broker';
    return [
      {
        severity: 'critical',
        subject: { type: 'node', name: node },
        title:
          `RabbitMQ ${rabbitmqVersion} refuses what clients declare: connections opened and closed again and again, queues declared and not created` +
          (gone.length ? ` — ${[...new Set(gone.map((s) => s.binary))].join(', ')} no longer consume anything` : ''),
        explanation:
          'Clients open a connection, declare a queue and are closed within milliseconds, then try again: the broker refuses the declaration and closes the connection (541). ' +
          'Such a process reconnects forever, consumes nothing and has no queue, so the management API lists at most the connections it only publishes on: it is seen by this churn' +
          (gone.length ? `, and by the services that consumed before and no longer do (listed below). ` : '. ') +
          'The usual cause on RabbitMQ 4.3 (and on 4.0–4.2 with deprecated_features.permit.transient_nonexcl_queues = false): oslo.messaging with its default options declares transient non-exclusive queues (reply, fanout, and without rabbit_quorum_queue its topic and server queues), which 4.3 denies by default. ' +
          'Fix the services: in [oslo_messaging_rabbit] set rabbit_transient_quorum_queue = true and rabbit_quorum_queue = true (oslo.messaging 14.7+, OpenStack 2024.1; kolla-ansible: om_enable_rabbitmq_quorum_queues and om_enable_rabbitmq_transient_quorum_queue), then restart them. ' +
          'Or, for a while, permit them again on the broker: deprecated_features.permit.transient_nonexcl_queues = true in rabbitmq.conf and restart the node. ' +
          'The other declaration 4.3 refuses this way is x-queue-master-locator (from a client or its configuration).',
        evidence: {
          'connections opened (per min)': perMinute(churn.connectionsOpened),
          'connections closed (per min)': perMinute(churn.connectionsClosed),
          'queues declared (per min)': perMinute(churn.queuesDeclared),
          'queues created (per min)': perMinute(churn.queuesCreated),
          'no longer consuming': gone.length ? goneServicesText(gone) : 'none remembered (the dashboard has seen no service consume since it started)',
        },
      },
    ];
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
            !n.running &&
              'The node is down: classic queues on it are unavailable until it returns (quorum queues with a replica there carry on while a majority of their replicas is up), and clients connected to it reconnect elsewhere.',
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

/** What stops for OpenStack when a queue of this kind serves nothing. */
function whatStops(q: Queue): string {
  const host = q.host ?? q.server ?? '?';
  switch (q.kind) {
    case 'rpc-server':
      return `requests to ${q.topic} on ${host} are not delivered`;
    case 'rpc-topic':
      return `calls to any ${q.topic} server are not delivered`;
    case 'rpc-fanout':
      return `fanout casts to the ${q.topic} servers are not delivered`;
    case 'reply':
      return `RPC replies to ${q.binary ?? 'its caller'}${q.host ? ` on ${q.host}` : ''} are not delivered`;
    case 'notification':
      return `${q.name} notifications are not delivered`;
    case 'other':
      return 'nothing is delivered through it';
  }
}

/** The same, as the services' logs and the operator see it. */
function whatOpenStackSees(q: Queue): string {
  const host = q.host ?? q.server ?? '?';
  switch (q.kind) {
    case 'rpc-server':
      return `RPC calls to ${host} time out in their callers (MessagingTimeout), while ${serviceListCommand(q.component)} may still call the service up. `;
    case 'rpc-topic':
      return `Calls to the ${q.topic} topic time out in their callers (MessagingTimeout), whichever ${q.topic} server is up. `;
    case 'rpc-fanout':
      return `The ${q.topic} servers miss the fanout casts sent meanwhile. `;
    case 'reply':
      return `Calls made by ${q.binary ?? 'its process'} time out (MessagingTimeout) although their servers answer. `;
    case 'notification':
      return 'Notifications sent meanwhile may be lost. ';
    case 'other':
      return '';
  }
}

const quorumQueueUnavailable: Rule = {
  description: 'A quorum queue below its quorum (fewer replicas up than a majority) or without a leader: nothing can be published to it or consumed from it.',
  // One finding per queue: each such queue is a service that gets nothing (its host in the service
  // list, the page of that queue). The node that took them down has its own finding (node-alarm).
  evaluate: (ctx) =>
    ctx.topology.queues.filter(quorumLost).map((q): FindingDraft => {
      const r = q.replication!;
      const online = r.online ?? [];
      const down = membersDown(r);
      const belowQuorum = r.state === 'no-quorum';
      const evidence = {
        replicas: r.members.join(', '),
        'replicas up': online.join(', ') || 'none',
        'needed (quorum)': r.quorum,
        leader: r.leader ?? 'none elected',
        'ready (as last counted)': q.messagesReady,
      };
      if (belowQuorum)
        return {
          severity: 'critical',
          subject: queueSubject(q),
          component: q.component,
          host: q.host,
          title: `Quorum queue ${q.name} is down (${online.length} of ${r.members.length} replicas up, ${r.quorum} needed): ${whatStops(q)}`,
          explanation:
            `A quorum queue works while a majority of its replicas is up; ${online.length === 0 ? 'none of its replicas is' : `only ${online.join(', ')} ${online.length === 1 ? 'is' : 'are'}`} up, ` +
            `so nothing can be published to it or consumed from it. ${whatOpenStackSees(q)}` +
            `Bring back the broker node${down.length === 1 ? '' : 's'} ${down.join(', ')}: start RabbitMQ there and read its log for why it stopped. ` +
            `The queue resumes by itself once ${r.quorum} replicas are up, and the oslo.messaging services re-subscribe on their own: check afterwards that it has a consumer again. ` +
            'If those nodes are lost for good, the queue cannot get its quorum back: delete it and restart the service that consumes it, which declares it anew (the messages in it are lost).',
          evidence,
        };
      return {
        severity: 'critical',
        subject: queueSubject(q),
        component: q.component,
        host: q.host,
        title: `Quorum queue ${q.name} has no leader: ${whatStops(q)}`,
        explanation:
          `${online.length} of its ${r.members.length} replicas are up, a quorum, but the broker names no leader: nothing can be published to it or consumed from it until one is elected. ` +
          whatOpenStackSees(q) +
          `An election that does not end is a broker fault: look for the queue in the logs of ${online.join(', ')}; "rabbitmq-queues quorum_status --vhost ${q.vhost} ${q.name}" shows the Raft state of each replica. ` +
          'Restarting RabbitMQ on the node of one replica, never on a majority at once, starts a new election.',
        evidence,
      };
    }),
};

/** Which services' queues these are, the biggest groups first: "nova: compute.<host> ×1000, conductor ×1; neutron: …". */
function byService(queues: readonly Queue[]): string {
  const label = (q: Queue): string => {
    switch (q.kind) {
      case 'rpc-server':
        return `${q.topic}.<host>`;
      case 'rpc-topic':
        return q.topic ?? q.name;
      case 'rpc-fanout':
        // The shared stream (rabbit_stream_fanout) is named after its exchange; a server's own fanout queue has a suffix.
        return q.name === `${q.topic}_fanout` ? q.name : `${q.topic}_fanout_*`;
      case 'reply':
        return 'reply_*';
      case 'notification':
        return q.name;
      case 'other':
        return 'other';
    }
  };
  const services = new Map<string, Map<string, number>>();
  for (const q of queues) {
    const service = q.component ?? 'no service';
    let labels = services.get(service);
    if (!labels) services.set(service, (labels = new Map()));
    labels.set(label(q), (labels.get(label(q)) ?? 0) + 1);
  }
  const total = (labels: Map<string, number>) => [...labels.values()].reduce((a, b) => a + b, 0);
  const biggestFirst = <K>(a: [K, number], b: [K, number]) => b[1] - a[1];
  return [...services]
    .map(([service, labels]) => [service, labels, total(labels)] as const)
    .sort((a, b) => b[2] - a[2] || a[0].localeCompare(b[0]))
    .map(([service, labels]) => {
      const groups = [...labels].sort(biggestFirst);
      const shown = groups.slice(0, 3).map(([l, n]) => `${l} ×${n}`);
      return `${service}: ${shown.join(', ')}${groups.length > 3 ? ', …' : ''}`;
    })
    .join('; ');
}

const quorumMemberDown: Rule = {
  description: 'Quorum queues that lost a replica on a broker node but keep a quorum: they work, with one node less to lose.',
  // One finding per node, not per queue: a node lost on a three-node cluster takes a replica from
  // every quorum queue, thousands at once, and every one of them still works. What the operator on
  // call needs is the node to bring back, how many queues (of which services) now have no margin,
  // and not to stop another node meanwhile; the queues that did stop have findings of their own.
  evaluate: (ctx) => {
    const byNode = new Map<string, Queue[]>();
    for (const q of ctx.topology.queues) {
      const r = q.replication;
      if (q.type !== 'quorum' || !r || (r.state !== 'member-down' && r.state !== 'leader-down')) continue;
      for (const node of membersDown(r)) {
        const list = byNode.get(node);
        if (list) list.push(q);
        else byNode.set(node, [q]);
      }
    }
    return [...byNode].map(([node, queues]): FindingDraft => {
      const n = queues.length;
      const noMargin = queues.filter((q) => q.replication!.online!.length === q.replication!.quorum).length;
      const ledThere = queues.filter((q) => q.replication!.leader === node).length;
      const known = ctx.topology.nodes.find((x) => x.name === node);
      const services = byService(queues);
      const margin =
        noMargin === 0 ? '' : noMargin === n ? `: one more node down and ${n === 1 ? 'it stops' : 'they stop'}` : `: ${noMargin} of them stop if one more node goes down`;
      return {
        severity: 'warning',
        subject: { type: 'node', name: node },
        title: `${plural(n, 'quorum queue')} lost ${n === 1 ? 'its' : 'their'} replica on ${node}${margin}`,
        explanation:
          (known
            ? `Broker node ${node} is down. `
            : `The broker does not count the replicas on ${node} as up${ctx.topology.nodes.length === 0 ? ' (the node list needs the monitoring tag)' : ''}. `) +
          `${plural(n, 'quorum queue')} ${n === 1 ? 'has' : 'have'} a replica there (${services}); ` +
          `${n === 1 ? 'it keeps' : 'they keep'} working on the others, a majority of each being up` +
          (ledThere > 0
            ? `; ${ledThere === n ? (n === 1 ? 'it was' : `all ${n} were`) : `${ledThere} of them were`} led from there and elect a new leader among the others within seconds (the leader shown is the one the broker last named). `
            : '. ') +
          (noMargin > 0 ? `But ${noMargin === n ? (n === 1 ? 'it has' : 'they have') : `${noMargin} of them have`} no margin left: one more broker node down and they stop, and with them these services' RPC. ` : '') +
          `Bring ${node} back first: start RabbitMQ there (its log says why it stopped); its replicas catch up by themselves. ` +
          'Until then do not stop, drain or upgrade another broker node ("rabbitmq-queues check_if_node_is_quorum_critical" on a node says whether it may go). ' +
          `If ${node} is gone for good, move its replicas: "rabbitmq-queues shrink ${node}" on a running node, then "rabbitmq-queues grow <new node> all".`,
        evidence: {
          'quorum queues with a replica there': n,
          'with no margin left': noMargin,
          'led from there': ledThere,
          'by service': services,
          'for example': queues.slice(0, 3).map((q) => q.name).join(', '),
        },
      };
    });
  },
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
  'clients-refused': clientsRefused,
  'node-alarm': nodeAlarm,
  'quorum-queue-unavailable': quorumQueueUnavailable,
  'quorum-member-down': quorumMemberDown,
});
