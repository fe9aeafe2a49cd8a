'use client';
import { Link } from '../ui/link';
import type { ConsumerDetail, QueueDetailResponse } from '@/lib/api/schemas';
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
  return (
    <div className="space-y-3">
      <QueueFindings vhost={q.vhost} name={q.name} />
      {q.kind === 'rpc-server' && q.topic && q.server && <PingCard vhost={q.vhost} exchange={q.component} topic={q.topic} server={q.server} />}
      {q.health === 'unavailable' && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-[13px] text-red-800">
          <span className="font-semibold">Unavailable: </span>
          the broker says this queue is {q.state}: the node holding it{q.node ? ` (${q.node})` : ''} is down or the queue crashed, and nothing reaches it until that is fixed.
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
              [
                'flags',
                <span key="f" className="flex flex-wrap gap-1">
                  <Tag>{q.durable ? 'durable' : 'transient'}</Tag>
                  {q.autoDelete && <Tag>auto-delete</Tag>}
                  {q.exclusive && <Tag>exclusive</Tag>}
                </span>,
              ],
              ['node', q.node ?? none],
              ['state', q.state ? <Tag key="s" tone={q.state === 'running' ? 'green' : 'amber'}>{q.state}</Tag> : none],
              ['idle since', q.idleSince ?? none],
            ]}
          />
        </Card>
        <Card title="Now">
          <div className="grid grid-cols-3 gap-3 sm:grid-cols-4 xl:grid-cols-7">
            <Stat label="ready" value={formatCount(q.messagesReady)} tone={(q.messagesReady ?? 0) > 0 && q.consumers === 0 ? 'red' : (q.messagesReady ?? 0) > 1000 ? 'amber' : 'neutral'} />
            <Stat label="unacked" value={formatCount(q.messagesUnacknowledged)} />
            <Stat label="consumers" value={<Consumers value={q.consumers} expectConsumer={needsConsumer(q)} />} />
            <Stat label="publish" value={<Rate rates={q.rates} field="publish" />} />
            <Stat label="deliver" value={<Rate rates={q.rates} field="deliver" />} />
            <Stat label="ack" value={<Rate rates={q.rates} field="ack" />} />
            <Stat label="redeliver" value={<Rate rates={q.rates} field="redeliver" />} />
          </div>
          <div className="mt-3 grid gap-3 xl:grid-cols-2">
            <div>
              <div className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-neutral-500">backlog</div>
              <BacklogChart history={history} height={150} />
            </div>
            <div>
              <div className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-neutral-500">rates</div>
              <RatesChart history={history} height={150} />
            </div>
          </div>
        </Card>
      </div>

      <ConsumersCard consumers={data.consumers} />

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

function ConsumersCard({ consumers }: { consumers: ConsumerDetail[] }) {
  const now = useNow(5000);
  return (
    <Card title={`Consumers (${consumers.length})`} bodyClassName="p-0">
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
                      {!c.active && <span className="ml-1"><Tag tone="amber" title="single-active-consumer standby">inactive</Tag></span>}
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
