'use client';
import type { ReactNode } from 'react';
import { Link } from '../ui/link';
import type { Consumer, ConsumerDetail, Queue, QueueDetailResponse, Replication } from '@/lib/api/schemas';
import { useQueue } from '@/lib/client/hooks';
import { componentHref, exchangeHref } from '@/lib/client/links';
import { exchangeLabel } from '@/lib/domain/exchanges';
import { useNow } from '@/lib/client/refresh';
import { BacklogChart, RatesChart } from '../charts/history-charts';
import { HistoryPanel } from '../history/history-panel';
import { queueSeriesKey } from '@/lib/domain/series';
import { KindBadge, Tag } from '../ui/badges';
import { Card, Empty, KeyValues, Stat, tableCls, td, tdNum, th, thNum, trCls } from '../ui/card';
import { formatAge, formatCount } from '../ui/format';
import { Consumers, Rate } from '../ui/numbers';
import { PageFrame } from '../ui/page-frame';
import { ProcessLink } from '../processes/process-link';
import { needsConsumer } from '@/lib/domain/health';
import { HealthBadge } from '../ui/health';
import { QueueFindings } from '../findings/findings-panel';
import { PingButton } from '../services/ping-button';
import { useClusterActions } from '@/lib/client/hooks';
import { WaitingCard } from './waiting-card';
import { HostLink } from '../hosts/host-link';
import { replicaSummary, retentionText } from './queue-shaping';

export function QueueDetailPage({ vhost, name }: { vhost: string; name: string }) {
  const query = useQueue(vhost, name);
  return (
    <PageFrame kicker={<><Link href="/queues" className="hover:underline">Queues</Link> · vhost {vhost}</>} title={name} query={query} documentTitle={`Queue ${name}`}>
      {(data) => <QueueDetailBody data={data} />}
    </PageFrame>
  );
}

const none = <span className="text-neutral-400">–</span>;

function QueueDetailBody({ data }: { data: QueueDetailResponse }) {
  const { queue: q, history } = data;
  const now = useNow(5000);
  return (
    <div className="space-y-3">
      <QueueFindings vhost={q.vhost} name={q.name} />
      {q.kind === 'rpc-server' && q.topic && q.server && <PingCard vhost={q.vhost} exchange={q.component} topic={q.topic} server={q.server} />}
      {q.health === 'unavailable' && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-[13px] text-red-800">
          <span className="font-semibold">Unavailable: </span>
          <UnavailableReason q={q} />
        </div>
      )}
      {q.health === 'unconsumed' && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-[13px] text-red-800">
          <span className="font-semibold">No consumer: </span>
          {formatCount(q.messagesReady)} messages wait here and nobody takes them.
          {q.kind === 'rpc-server' && ' If the process is still connected, its consumer was cancelled and never came back: requests to this host silently wait.'}
          {q.kind === 'notification' && ' Nobody consumes these notifications; the queue grows without bound.'}
          {(q.kind === 'reply' || q.kind === 'rpc-fanout') && ' Its process probably died; the queue expires after its x-expires idle time.'}
        </div>
      )}
      <div className="grid gap-3 lg:grid-cols-[minmax(300px,1fr)_2fr]">
        <Card title="Queue">
          <KeyValues
            items={[
              ['kind', <KindBadge key="k" kind={q.kind} />],
              ['health', <HealthBadge key="h" health={q.health} />],
              ['component', q.component ? <Link className="text-accent-600 hover:underline" href={componentHref(q.component)}>{q.component}</Link> : none],
              ['topic', q.topic ?? none],
              ['server', q.server ?? none],
              ['host', q.host ? <HostLink key="h" host={q.host} /> : none],
              ...(q.binary ? [['binary', q.binary] as [string, string]] : []),
              ['type', q.type],
              ...(q.replication ? replicationItems(q.replication) : []),
              [
                'flags',
                <span key="f" className="flex flex-wrap gap-1">
                  <Tag>{q.durable ? 'durable' : 'transient'}</Tag>
                  {q.autoDelete && <Tag>auto-delete</Tag>}
                  {q.exclusive && <Tag>exclusive</Tag>}
                </span>,
              ],
              ...(q.replication ? [] : [['node', q.node ?? none] as [string, ReactNode]]),
              ['state', q.state ? <Tag key="s" tone={q.state === 'running' ? 'green' : 'amber'}>{q.state}</Tag> : none],
              ['idle since', q.idleSince === null ? none : <span key="i" title={new Date(q.idleSince).toISOString()}>{formatAge(q.idleSince, now)} ago</span>],
            ]}
          />
        </Card>
        <Card title="Now">
          <div className="grid grid-cols-3 gap-3 sm:grid-cols-4 xl:grid-cols-7">
            {q.retention ? (
              <Stat label="retains" value={formatCount(q.retention.messages)} hint="not a backlog" />
            ) : (
              <Stat label="ready" value={formatCount(q.messagesReady)} tone={(q.messagesReady ?? 0) > 0 && q.consumers === 0 ? 'red' : (q.messagesReady ?? 0) > 1000 ? 'amber' : 'neutral'} />
            )}
            <Stat label="unacked" value={formatCount(q.messagesUnacknowledged)} />
            <Stat label="consumers" value={<Consumers value={q.consumers} expectConsumer={needsConsumer(q)} />} />
            <Stat label="publish" value={<Rate rates={q.rates} field="publish" />} />
            <Stat label="deliver" value={<Rate rates={q.rates} field="deliver" />} />
            <Stat label="ack" value={<Rate rates={q.rates} field="ack" />} />
            <Stat label="redeliver" value={<Rate rates={q.rates} field="redeliver" />} />
          </div>
          {q.retention && (
            <p className="mt-2 text-xs text-neutral-600" data-testid="stream-retention">
              A stream {retentionText(q.retention)}: what it keeps for its readers, each reading from an offset of its own, not messages waiting for a consumer.
            </p>
          )}
          <div className="mt-3 grid gap-3 xl:grid-cols-2">
            <div>
              <div className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-neutral-500">{q.retention ? 'retained' : 'backlog'}</div>
              <BacklogChart history={history} height={150} />
            </div>
            <div>
              <div className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-neutral-500">rates</div>
              <RatesChart history={history} height={150} />
            </div>
          </div>
        </Card>
      </div>

      <ConsumersCard consumers={data.consumers} stream={q.type === 'stream'} stale={data.staleConsumers} />

      <HistoryPanel title="History: backlog, consumers, rates" series={{ scope: 'queue', key: queueSeriesKey(q.vhost, q.name) }} around={{ vhost: q.vhost, queue: q.name }} />

      <WaitingCard queue={q} />

      <div className="grid gap-3 lg:grid-cols-2">
        <Card title={`Arguments (${data.arguments.length})`} bodyClassName="p-0">
          {data.arguments.length === 0 ? (
            <Empty>none: the queue lives until deleted</Empty>
          ) : (
            <table className={tableCls}>
              <thead>
                <tr>
                  <th className={th}>argument</th>
                  <th className={th}>value</th>
                  <th className={th}>meaning</th>
                </tr>
              </thead>
              <tbody>
                {data.arguments.map((a) => (
                  <tr key={a.key} className={trCls}>
                    <td className={`${td} name-wrap font-mono text-[12px]`}>{a.key}</td>
                    <td className={`${td} name-wrap font-mono text-[12px]`}>{JSON.stringify(a.value)}</td>
                    <td className={`${td} name-wrap`}>{a.meaning}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card title={`Bindings (${data.bindings.length})`} bodyClassName="p-0">
          {data.bindings.length === 0 ? (
            <Empty>no bindings</Empty>
          ) : (
            <table className={tableCls}>
              <thead>
                <tr>
                  <th className={th}>from exchange</th>
                  <th className={th}>routing key</th>
                </tr>
              </thead>
              <tbody>
                {data.bindings.map((b, i) => (
                  <tr key={i} className={trCls}>
                    <td className={`${td} name-wrap`}>
                      <Link className="text-accent-600 hover:underline" href={exchangeHref(b.vhost, b.source)}>
                        {exchangeLabel(b.source)}
                      </Link>
                    </td>
                    <td className={`${td} name-wrap font-mono text-[12px]`}>{b.routingKey === '' ? <span className="text-neutral-400">(empty)</span> : b.routingKey}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </div>
  );
}

/** Why the queue serves nothing: a quorum queue's replicas, or the state the broker gives. */
function UnavailableReason({ q }: { q: Queue }) {
  const r = q.replication;
  if (q.type === 'quorum' && r?.state === 'no-quorum') {
    const down = r.members.filter((m) => !(r.online ?? []).includes(m));
    return (
      <>
        only {r.online?.length ?? 0} of its {r.members.length} replicas are up and a quorum queue needs {r.quorum}: nothing can be published to it or consumed from it until{' '}
        {down.length === 1 ? `broker node ${down[0]} comes` : `broker nodes ${down.join(', ')} come`} back.
      </>
    );
  }
  if (q.type === 'quorum' && r?.state === 'no-leader')
    return <>a quorum of its replicas is up, but the broker names no leader: nothing can be published to it or consumed from it until one is elected.</>;
  return (
    <>
      the broker says this queue is {q.state}: the node holding it{q.node ? ` (${q.node})` : ''} is down or the queue crashed, and nothing reaches it until that is fixed.
    </>
  );
}

/** Leader, replicas (each up or down) and quorum, for the queue's card. */
function replicationItems(r: Replication): [string, ReactNode][] {
  const s = replicaSummary(r);
  const online = r.online;
  return [
    [
      'leader',
      r.leader === null ? (
        <Tag key="l" tone="red">none elected</Tag>
      ) : r.leaderRunning === false ? (
        <span key="l" title="the leader the broker last named; its node is down, and the replicas up elect another within seconds">
          {r.leader} <Tag tone="amber">node down</Tag>
        </span>
      ) : (
        r.leader
      ),
    ],
    [
      'replicas',
      <span key="r" className="flex flex-wrap gap-1" data-testid="replicas">
        {r.members.map((m) => (
          <Tag key={m} tone={online === null ? 'neutral' : online.includes(m) ? 'green' : 'red'} title={online === null ? 'not known whether it is up' : online.includes(m) ? 'up' : 'down'}>
            {m}
          </Tag>
        ))}
      </span>,
    ],
    [
      'quorum',
      <span key="q" title={s.title}>
        {s.text} up, {r.quorum} needed{s.tone === 'neutral' ? '' : ' · '}
        {s.tone !== 'neutral' && <Tag tone={s.tone}>{s.words}</Tag>}
      </span>,
    ],
  ];
}

function ConsumersCard({ consumers, stream, stale }: { consumers: ConsumerDetail[]; stream: boolean; stale: Consumer[] }) {
  const now = useNow(5000);
  return (
    <Card title={`Consumers (${consumers.length})`} bodyClassName="p-0">
      {stream && (
        <p className="border-b border-neutral-100 px-3 py-2 text-xs text-neutral-600" data-testid="stream-offsets">
          Each consumer reads this stream from an offset of its own (oslo.messaging passes x-stream-offset over AMQP 0-9-1). The management API reports neither that
          offset nor how far behind the end it is for such a consumer, so neither is shown here.
        </p>
      )}
      {consumers.length === 0 ? (
        <Empty>no consumer</Empty>
      ) : (
        <div className="overflow-x-auto">
          <table className={tableCls}>
            <thead>
              <tr>
                <th className={th}>process</th>
                <th className={th}>binary</th>
                <th className={thNum}>pid</th>
                <th className={th}>host</th>
                <th className={th}>connection (peer)</th>
                <th className={th}>user</th>
                <th className={th}>state</th>
                <th className={thNum}>age</th>
                <th className={thNum}>prefetch</th>
                <th className={th}>ack mode</th>
                <th className={thNum}>unacked (channel)</th>
                <th className={th}>tag</th>
              </tr>
            </thead>
            <tbody>
              {consumers.map((c, i) => {
                const conn = c.connection;
                const p = c.process;
                const prefetch = c.channel?.prefetchCount ?? c.prefetchCount;
                return (
                  <tr key={`${c.channelName ?? ''}\u0000${c.consumerTag}\u0000${i}`} className={trCls}>
                    <td className={td}>{p ? <ProcessLink process={p} /> : c.processId ? <ProcessLink id={c.processId} /> : none}</td>
                    <td className={`${td} name-wrap`}>{p?.binary ?? conn?.oslo?.binary ?? none}</td>
                    <td className={tdNum}>{p?.pid ?? conn?.oslo?.pid ?? none}</td>
                    <td className={`${td} name-wrap`}>{p?.host ? <HostLink host={p.host} /> : none}</td>
                    <td className={`${td} name-wrap font-mono text-[12px]`}>
                      {conn ? `${conn.peerHost}${conn.peerPort !== null ? `:${conn.peerPort}` : ''}` : c.connectionName ?? none}
                    </td>
                    <td className={`${td} name-wrap`}>{conn?.user ?? none}</td>
                    <td className={td}>
                      {conn ? <Tag tone={conn.state === 'running' ? 'green' : conn.state === 'blocked' || conn.state === 'blocking' ? 'red' : 'amber'}>{conn.state}</Tag> : none}
                      {/* A stream's consumers are reported inactive while they receive: only elsewhere does it mean a standby. */}
                      {!c.active && !stream && <span className="ml-1"><Tag tone="amber" title="single-active-consumer standby">inactive</Tag></span>}
                    </td>
                    <td className={tdNum}>{conn?.connectedAt ? formatAge(conn.connectedAt, now) : '–'}</td>
                    <td className={tdNum} title={prefetch === 0 ? 'no limit: the broker pushes everything' : undefined}>{prefetch === 0 ? 'unlimited' : prefetch}</td>
                    <td className={td}>{c.ackRequired ? 'manual ack' : <Tag tone="amber" title="messages are lost if the process dies">auto ack</Tag>}</td>
                    <td className={tdNum}>{c.channel ? formatCount(c.channel.messagesUnacknowledged) : '–'}</td>
                    <td className={`${td} name-wrap font-mono text-[12px] text-neutral-500`}>{c.consumerTag}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {stale.length > 0 && (
        <div className="border-t border-neutral-100 px-3 py-2 text-xs text-neutral-600" data-testid="stale-consumers">
          <span className="font-semibold text-neutral-700">Left by a closed channel ({stale.length}): </span>
          the broker still lists {stale.length === 1 ? 'an entry' : 'entries'} for this stream without a channel (tag{stale.length === 1 ? '' : 's'}{' '}
          <span className="font-mono">{stale.map((c) => c.consumerTag).join(', ')}</span>). {stale.length === 1 ? 'It is' : 'They are'} not a consumer and not counted
          here. RabbitMQ 4 drops such entries within a minute or two; 3.x keeps listing them, on and off, until the connection closes.
        </div>
      )}
    </Card>
  );
}

/** The RPC ping of this per-server queue's server. */
function PingCard({ vhost, exchange, topic, server }: { vhost: string; exchange: string | null; topic: string; server: string }) {
  const { actions } = useClusterActions();
  const probe = actions?.probe ?? null;
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-md border border-neutral-200 bg-white px-3 py-2 text-[13px]" data-testid="ping-card">
      <span className="font-semibold text-neutral-800">Does {server} answer?</span>
      <span className="text-xs text-neutral-600">
        sends a harmless RPC call to <span className="font-mono">{topic}.{server}</span> and waits for the reply
      </span>
      <PingButton request={{ vhost, exchange: exchange ?? undefined, topic, server }} probe={probe} />
      {probe && !probe.enabled && <span className="text-xs text-neutral-500">ping not enabled: {probe.reason}</span>}
    </div>
  );
}
