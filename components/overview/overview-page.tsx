'use client';
import { Link } from '../ui/link';
import { type ReactNode, useState } from 'react';
import type { ComponentSummary, Node, OverviewResponse } from '@/lib/api/schemas';
import { QUEUE_KINDS, type QueueKind } from '@/lib/domain/vocabulary';
import { useClusterId } from '@/lib/client/cluster';
import { useOverview } from '@/lib/client/hooks';
import { apiPath, componentHref, queuesHref } from '@/lib/client/links';
import { HISTORY_RANGE_NAMES, type HistoryRange } from '@/lib/domain/vocabulary';
import { BacklogChart, RatesChart } from '../charts/history-charts';
import { HistoryPanel } from '../history/history-panel';
import { FindingsPanel } from '../findings/findings-panel';
import { GroupBadge, KindBadge, Tag } from '../ui/badges';
import { Card, Empty, KeyValues, Mini, Stat, tableCls, td, tdNum, th, thNum, trCls } from '../ui/card';
import { formatAge, formatBytes, formatCount, formatDuration, percentOf } from '../ui/format';
import { useNow } from '@/lib/client/refresh';
import { counted as countedIf, Count, Rate, RateValue } from '../ui/numbers';
import { PageFrame } from '../ui/page-frame';
import { borderTint, HEALTH_STYLE } from '../ui/health';
import { sortComponents } from './overview-shaping';

export function OverviewPage() {
  const query = useOverview();
  const cluster = useClusterId();
  return (
    <PageFrame
      title="Overview"
      query={query}
      subtitle={<CaptureLink cluster={cluster} />}
      meanwhile={<HistoryPanel title="History of the whole broker" series={{ scope: 'global', key: '' }} around={{}} defaultRange="24h" />}
    >
      {(data) => <OverviewBody data={data} />}
    </PageFrame>
  );
}

/** The capture to download, with the journal and history of a range picked here. */
function CaptureLink({ cluster }: { cluster: string }) {
  const [range, setRange] = useState<HistoryRange>('1h');
  return (
    <span className="flex items-center gap-1.5 text-xs text-neutral-600">
      <a
        href={apiPath.capture(cluster, range)}
        download
        className="text-accent-600 hover:underline"
        title="everything this dashboard read of the broker, its findings, and the journal and history of the range picked, as a file anyone can open offline; no password, no message"
      >
        Download an offline capture
      </a>
      with the last
      <select aria-label="history in the capture" value={range} onChange={(e) => setRange(e.target.value as HistoryRange)} className="rounded border border-neutral-300 bg-white px-1 py-0 text-xs">
        {HISTORY_RANGE_NAMES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      of history and journal
    </span>
  );
}

function OverviewBody({ data }: { data: OverviewResponse }) {
  const { broker, totals } = data;
  const counted = (shown: ReactNode): ReactNode => countedIf(broker.statsEnabled, shown);
  return (
    <div className="space-y-3">
      <FindingsPanel queues={totals.queues} processes={totals.processes} />
      <div className="grid gap-3 lg:grid-cols-[minmax(260px,1fr)_3fr]">
        <Card title="Broker">
          <KeyValues
            items={[
              ['cluster', broker.clusterName ?? '–'],
              ['RabbitMQ', broker.rabbitmqVersion ?? '–'],
              ['Erlang', broker.erlangVersion ?? '–'],
              ['management', broker.managementVersion ?? '–'],
              ['statistics', broker.statsEnabled ? (broker.ratesMode ?? 'on') : <Tag tone="amber">disabled: no rates</Tag>],
              ['queue counts', <CountsSource key="c" status={data.status} />],
              ['vhosts', data.vhosts.join(', ') || '–'],
            ]}
          />
        </Card>
        <Card title="Totals">
          <div className="grid grid-cols-3 gap-x-4 gap-y-3 sm:grid-cols-4 xl:grid-cols-6">
            <Stat label="queues" value={<Link className="hover:underline" href={queuesHref()}>{formatCount(totals.queues)}</Link>} />
            <Stat label="exchanges" value={<Link className="hover:underline" href="/exchanges">{formatCount(totals.exchanges)}</Link>} />
            <Stat label="connections" value={formatCount(totals.connections)} hint={`${formatCount(totals.channels)} channels`} />
            <Stat label="consumers" value={counted(formatCount(totals.consumers))} />
            <Stat label="processes" value={<Link className="hover:underline" href="/processes">{formatCount(totals.processes)}</Link>} />
            <Stat label="bindings" value={formatCount(totals.bindings)} />
            <Stat label="ready" value={counted(formatCount(totals.backlog.ready))} tone={broker.statsEnabled && totals.backlog.ready > 1000 ? 'amber' : 'neutral'} />
            <Stat label="unacked" value={counted(formatCount(totals.backlog.unacknowledged))} />
            <Stat label="publish" value={<Rate rates={totals.rates} field="publish" />} />
            <Stat label="deliver" value={<Rate rates={totals.rates} field="deliver" />} />
            <Stat label="ack" value={<Rate rates={totals.rates} field="ack" />} />
            <Stat label="redeliver" value={<Rate rates={totals.rates} field="redeliver" />} tone={totals.rates && totals.rates.redeliver > 0 ? 'amber' : 'neutral'} />
          </div>
        </Card>
      </div>

      <div id="nodes" className="scroll-mt-14">
        <NodesCard nodes={data.nodes} />
      </div>

      <div className="grid gap-3 lg:grid-cols-2">
        <Card title="Message rates, last minutes">
          <RatesChart history={data.history} />
        </Card>
        <Card title="Backlog (messages in queues), last minutes">
          <BacklogChart history={data.history} />
        </Card>
      </div>

      <HistoryPanel title="History of the whole broker" series={{ scope: 'global', key: '' }} around={{}} defaultRange="24h" />

      <Card title="Components" actions={<span className="text-xs text-neutral-500">control exchanges; cinder uses “openstack”</span>}>
        {data.components.length === 0 ? (
          <Empty>no OpenStack component found on this broker</Empty>
        ) : (
          <div className="grid gap-2 sm:grid-cols-2 xl:grid-cols-4 2xl:grid-cols-5">
            {sortComponents(data.components).map((c) => (
              <ComponentCard key={c.name} c={c} counted={counted} />
            ))}
          </div>
        )}
      </Card>

      <div className="grid gap-3 lg:grid-cols-2">
        <Card title="Queue groups" bodyClassName="p-0">
          <table className={tableCls}>
            <thead>
              <tr>
                <th className={th}>kind</th>
                <th className={thNum}>queues</th>
                <th className={thNum}>without consumer</th>
                <th className={thNum}>messages waiting</th>
              </tr>
            </thead>
            <tbody>
              {QUEUE_KINDS.map((k) => {
                const g = data.groups[k];
                if (!g) return null;
                return (
                  <tr key={k} className={trCls}>
                    <td className={td}>
                      <Link href={queuesHref({ kind: k })} className="flex items-center gap-2 hover:underline">
                        <KindBadge kind={k} />
                        <span className="text-neutral-700">{GROUP_TEXT[k]}</span>
                      </Link>
                    </td>
                    <td className={tdNum}>{formatCount(g.count)}</td>
                    <td className={tdNum}>
                      {g.withoutConsumer > 0 && k !== 'other' ? (
                        <span className={HEALTH_STYLE[g.health].tone === 'red' ? 'font-semibold text-red-700' : 'font-medium text-amber-700'} title={HEALTH_STYLE[g.health].title}>
                          {formatCount(g.withoutConsumer)}
                        </span>
                      ) : (
                        <span className="text-neutral-400">{formatCount(g.withoutConsumer)}</span>
                      )}
                    </td>
                    <td className={tdNum}>
                      <Count value={g.messages} warnAbove={0} alarmAbove={1000} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Card>
        <Card title="Exchanges by group">
          <div className="flex flex-wrap gap-x-6 gap-y-3">
            {(Object.entries(data.exchangeGroups) as [keyof OverviewResponse['exchangeGroups'], number][]).map(([g, n]) => (
              <Link key={g} href={`/exchanges`} className="flex items-center gap-2 hover:underline">
                <GroupBadge group={g} />
                <span className="tabular text-base font-semibold">{formatCount(n)}</span>
              </Link>
            ))}
          </div>
          <p className="mt-3 text-xs text-neutral-500">
            Modern oslo.messaging sends replies through the default exchange; <code>reply_…</code> exchanges only exist with
            clients older than Train.
          </p>
        </Card>
      </div>
    </div>
  );
}

/** Where the queue counts come from and why; how old who-consumes-what is. */
function CountsSource({ status }: { status: OverviewResponse['status'] }) {
  const now = useNow(5000);
  const source = status.source;
  if (!source) return <span className="text-neutral-500">{status.capturedAt !== undefined ? 'as captured' : '–'}</span>;
  return (
    <span data-testid="counts-source" title={source.why}>
      {source.counts === 'prometheus' ? 'Prometheus plugin' : 'management API'}
      <span className="block text-xs text-neutral-500">
        {source.why}
        {source.identityAt !== null && `; who consumes read whole ${formatAge(source.identityAt, now)} ago, followed since`}
      </span>
    </span>
  );
}

const GROUP_TEXT: Record<QueueKind, string> = {
  reply: 'RPC reply queues',
  'rpc-fanout': 'fanout queues',
  notification: 'notifications',
  'rpc-topic': 'shared topic queues',
  'rpc-server': 'per-server queues',
  other: 'other queues',
};

function ComponentCard({ c, counted }: { c: ComponentSummary; counted: (shown: ReactNode) => ReactNode }) {
  return (
    <Link
      href={componentHref(c.name)}
      className={`block rounded-md border ${borderTint(c.health)} bg-white p-2.5 hover:border-accent-500 hover:shadow-sm`}
      data-testid="component-card"
      data-health={c.health}
      title={`worst queue: ${HEALTH_STYLE[c.health].label}`}
    >
      <div className="mb-1.5 flex items-baseline justify-between gap-2">
        <span className="name-wrap font-semibold text-neutral-900">{c.name}</span>
        <span className="text-[11px] text-neutral-500">{c.name === 'openstack' ? 'cinder (default)' : ''}</span>
      </div>
      <div className="grid grid-cols-3 gap-x-2 gap-y-1 text-xs">
        <Mini label="topics" value={formatCount(c.topicCount)} />
        <Mini label="servers" value={formatCount(c.serverQueueCount)} />
        <Mini label="consumers" value={counted(formatCount(c.consumers))} />
        <Mini label="ready" value={counted(<Count value={c.backlog.ready} warnAbove={0} alarmAbove={1000} />)} />
        <Mini label="unacked" value={counted(<Count value={c.backlog.unacknowledged} warnAbove={100} />)} />
        <Mini label="notif q" value={formatCount(c.notificationQueueCount)} />
        <Mini label="publish" value={<RateValue value={c.rates?.publish} />} />
        <Mini label="deliver" value={<RateValue value={c.rates?.deliver} />} />
        <Mini label="ack" value={<RateValue value={c.rates?.ack} />} />
      </div>
    </Link>
  );
}

function NodesCard({ nodes }: { nodes: Node[] }) {
  return (
    <Card title={`Nodes (${nodes.length})`} bodyClassName="p-0">
      {nodes.length === 0 ? (
        <Empty>no node information</Empty>
      ) : (
        <div className="overflow-x-auto">
          <table className={tableCls}>
            <thead>
              <tr>
                <th className={th}>node</th>
                <th className={th}>state</th>
                <th className={th}>type</th>
                <th className={thNum}>memory</th>
                <th className={th}>alarms</th>
                <th className={thNum}>file descriptors</th>
                <th className={th}>partitions</th>
                <th className={thNum}>uptime</th>
              </tr>
            </thead>
            <tbody>
              {nodes.map((n) => {
                const mem = percentOf(n.memUsed, n.memLimit);
                return (
                  <tr key={n.name} className={trCls}>
                    <td className={`${td} name-wrap font-medium`}>{n.name}</td>
                    <td className={td}>
                      <div className="flex gap-1">
                        {n.running ? <Tag tone="green">running</Tag> : <Tag tone="red">down</Tag>}
                        {n.beingDrained && (
                          <Tag tone="amber" title="maintenance mode (rabbitmq-upgrade drain): it takes no client connections and leads no quorum queue; rabbitmq-upgrade revive ends it">
                            being drained
                          </Tag>
                        )}
                      </div>
                    </td>
                    <td className={td}>{n.type ?? '–'}</td>
                    <td className={tdNum}>
                      {formatBytes(n.memUsed)} / {formatBytes(n.memLimit)}
                      {mem !== null && <span className={mem > 80 ? 'ml-1 text-amber-700' : 'ml-1 text-neutral-500'}>({mem.toFixed(0)}%)</span>}
                    </td>
                    <td className={td}>
                      <div className="flex gap-1">
                        {n.memAlarm && <Tag tone="red" title="memory alarm: every publisher is blocked">memory alarm</Tag>}
                        {n.diskFreeAlarm && <Tag tone="red" title="disk alarm: every publisher is blocked">disk alarm</Tag>}
                        {!n.memAlarm && !n.diskFreeAlarm && <span className="text-neutral-400">none</span>}
                      </div>
                    </td>
                    <td className={tdNum}>
                      {n.fdUsed ?? '–'} / {n.fdTotal ?? '–'}
                    </td>
                    <td className={td}>
                      {n.partitions.length > 0 ? <Tag tone="red">partitioned from {n.partitions.join(', ')}</Tag> : <span className="text-neutral-400">none</span>}
                    </td>
                    <td className={tdNum}>{n.uptimeMs === null ? '–' : formatDuration(n.uptimeMs)}</td>
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
