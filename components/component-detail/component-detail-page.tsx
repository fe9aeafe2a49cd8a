'use client';
import { Link } from '../ui/link';
import type { ReactNode } from 'react';
import type { Process, QueueRow, TopicDetail } from '@/lib/api/schemas';
import { useComponent } from '@/lib/client/hooks';
import { flowHref, queueHref, queuesHref } from '@/lib/client/links';
import { KindBadge } from '../ui/badges';
import { Card, Empty, Stat, tableCls, td, tdNum, th, thNum } from '../ui/card';
import { formatCount, formatExact } from '../ui/format';
import { Consumers, Count, counted, Rate } from '../ui/numbers';
import { PageFrame } from '../ui/page-frame';
import { QueueProcesses } from '../processes/queue-processes';
import { QueueTypeCell, ReadyCell } from '../queues/queue-cells';
import { QueueTable } from '../queues/queue-table';
import { needsConsumer } from '@/lib/domain/health';
import { rowTint } from '../ui/health';
import { groupServerQueuesByHost } from '../queues/queue-shaping';
import { refKey } from '@/lib/domain/keys';
import { HostLink } from '../hosts/host-link';
import { HistoryPanel } from '../history/history-panel';

export function ComponentDetailPage({ name }: { name: string }) {
  const query = useComponent(name);
  return (
    <PageFrame
      kicker={<><Link href="/" className="hover:underline">Overview</Link> · component</>}
      title={name}
      subtitle={name === 'openstack' ? 'oslo.messaging’s default control exchange: cinder, and any service that does not set its own' : undefined}
      query={query}
      documentTitle={name}
    >
      {({ component: c, topics, notificationQueues, notificationQueueTotal, processes, processCount, statsEnabled }) => (
        <div className="space-y-3">
          <Card>
            <div className="grid grid-cols-3 gap-3 sm:grid-cols-5 xl:grid-cols-10">
              <Stat label="topics" value={formatCount(c.topicCount)} />
              <Stat label="server queues" value={formatCount(c.serverQueueCount)} />
              <Stat label="fanout queues" value={formatCount(c.fanoutQueueCount)} />
              <Stat label="notif queues" value={formatCount(c.notificationQueueCount)} />
              <Stat label="consumers" value={counted(statsEnabled, formatCount(c.consumers))} />
              <Stat label="processes" value={formatCount(processCount)} />
              <Stat label="ready" value={counted(statsEnabled, <Count value={c.backlog.ready} warnAbove={0} alarmAbove={1000} />)} />
              <Stat label="unacked" value={counted(statsEnabled, <Count value={c.backlog.unacknowledged} />)} />
              <Stat label="publish" value={<Rate rates={c.rates} field="publish" />} />
              <Stat label="deliver" value={<Rate rates={c.rates} field="deliver" />} />
            </div>
            <div className="mt-2 text-xs">
              <Link className="text-accent-600 hover:underline" href={queuesHref({ component: c.name })}>
                all queues of {c.name} →
              </Link>
            </div>
          </Card>
          <HistoryPanel title={`History of ${c.name}: its queues' backlog, consumers and rates`} series={{ scope: 'component', key: c.name }} around={{}} />
          {topics.length === 0 && <Card><Empty>no RPC topic</Empty></Card>}
          {topics.map((t) => (
            <TopicCard key={refKey(t.vhost, t.name)} component={c.name} topic={t} processes={processes} multiVhost={c.vhosts.length > 1} statsEnabled={statsEnabled} />
          ))}
          <Card
            title={`Notification queues (${formatExact(notificationQueueTotal)})`}
            actions={<MoreLink shown={notificationQueues.length} total={notificationQueueTotal} href={queuesHref({ component: c.name, kind: 'notification' })} />}
            bodyClassName="p-0"
          >
            <QueueTable rows={notificationQueues} processes={processes} showKind={false} empty="no notification queue on this exchange" />
          </Card>
        </div>
      )}
    </PageFrame>
  );
}

/** "the 50 worst of 1,000 · all in the queue list →"; nothing when every one is shown. */
function MoreLink({ shown, total, href }: { shown: number; total: number; href: string }) {
  if (shown >= total) return null;
  return (
    <span className="text-xs font-normal normal-case tracking-normal text-neutral-500">
      the {shown} worst of {formatExact(total)} ·{' '}
      <Link href={href} className="text-accent-600 hover:underline">
        all in the queue list →
      </Link>
    </span>
  );
}

function TopicCard({
  component,
  topic: t,
  processes,
  multiVhost,
  statsEnabled,
}: {
  component: string;
  topic: TopicDetail;
  processes: Record<string, Process>;
  multiVhost: boolean;
  statsEnabled: boolean;
}) {
  const hosts = groupServerQueuesByHost(t.serverQueues);
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          <span className="name-wrap">topic {t.name}</span>
          {multiVhost && <span className="text-xs font-normal text-neutral-500">vhost {t.vhost}</span>}
          <Link href={flowHref(component, { topic: t.name, vhost: t.vhost })} className="text-xs font-normal text-accent-600 hover:underline">
            message flow →
          </Link>
        </span>
      }
      actions={
        <span className="flex gap-3 text-xs text-neutral-600">
          <span>consumers {counted(statsEnabled, <Consumers value={t.consumers} />)}</span>
          <span>ready {counted(statsEnabled, <Count value={t.backlog.ready} warnAbove={0} alarmAbove={1000} />)}</span>
          <span>unacked {counted(statsEnabled, <Count value={t.backlog.unacknowledged} />)}</span>
          <span>publish <Rate rates={t.rates} field="publish" /></span>
        </span>
      }
      bodyClassName="p-0"
    >
      <div className="overflow-x-auto">
        <table className={tableCls}>
          <thead>
            <tr>
              <th className={`${th} w-40`}>host</th>
              <th className={th}>queue</th>
              <th className={`${thNum} w-24`}>consumers</th>
              <th className={`${th} w-[22rem]`}>processes</th>
              <th className={`${thNum} w-20`}>ready</th>
              <th className={`${thNum} w-20`}>unacked</th>
              <th className={`${thNum} w-20`}>publish</th>
              <th className={`${thNum} w-20`}>deliver</th>
              <th className={`${thNum} w-20`}>ack</th>
            </tr>
          </thead>
          <tbody>
            <Section label="shared queue" />
            {t.sharedQueue ? <Row q={t.sharedQueue} processes={processes} first={<span className="text-neutral-500">any server</span>} /> : <NoneRow text="no shared queue" />}
            <Section
              label={`per-server queues (${formatExact(t.serverQueueTotal)}) by host`}
              more={<MoreLink shown={t.serverQueues.length} total={t.serverQueueTotal} href={queuesHref({ component, kind: 'rpc-server', q: `${t.name}.` })} />}
            />
            {hosts.length === 0 && <NoneRow text="no per-server queue" />}
            {hosts.map((g) => g.queues.map((q, i) => <Row key={q.name} q={q} processes={processes} first={i === 0 ? <HostLink host={g.host} className="font-medium text-accent-600 hover:underline" /> : null} />))}
            <Section
              label={`fanout queues (${formatExact(t.fanoutQueueTotal)})`}
              more={<MoreLink shown={t.fanoutQueues.length} total={t.fanoutQueueTotal} href={queuesHref({ component, kind: 'rpc-fanout', q: `${t.name}_fanout_` })} />}
            />
            {t.fanoutQueues.length === 0 && <NoneRow text="no fanout queue" />}
            {t.fanoutQueues.map((q) => (
              <Row key={q.name} q={q} processes={processes} first={<FanoutHost q={q} processes={processes} />} />
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

/** A fanout queue's name carries no host (before queue-manager names): show its consumer's. */
function FanoutHost({ q, processes }: { q: QueueRow; processes: Record<string, Process> }) {
  if (q.host) return <HostLink host={q.host} />;
  const hosts = [...new Set(q.processIds.map((id) => processes[id]?.host).filter((h): h is string => Boolean(h)))];
  if (hosts.length === 0) return null;
  return (
    <span className="name-wrap text-neutral-600" title="host of the process consuming it">
      {hosts.map((h, i) => (
        <span key={h}>
          {i > 0 && ', '}
          <HostLink host={h} />
        </span>
      ))}
    </span>
  );
}

function Section({ label, more }: { label: string; more?: ReactNode }) {
  return (
    <tr className="border-t border-neutral-200 bg-neutral-50">
      <td colSpan={9} className="px-2 py-1 text-[11px] font-semibold uppercase tracking-wide text-neutral-500">
        {label}
        <span className="ml-2">{more}</span>
      </td>
    </tr>
  );
}

function NoneRow({ text }: { text: string }) {
  return (
    <tr className="border-t border-neutral-100">
      <td colSpan={9} className="px-2 py-1 text-xs text-neutral-400">
        {text}
      </td>
    </tr>
  );
}

function Row({ q, processes, first }: { q: QueueRow; processes: Record<string, Process>; first: ReactNode }) {
  return (
    <tr className={`border-t border-neutral-100 hover:bg-neutral-50 ${rowTint(q.health)}`} data-health={q.health}>
      <td className={td}>{first}</td>
      <td className={`${td} name-wrap min-w-[14rem]`}>
        <span className="mr-1.5"><KindBadge kind={q.kind} /></span>
        <Link href={queueHref(q.vhost, q.name)} className="text-accent-600 hover:underline">
          {q.name}
        </Link>
        {q.replication && (
          <span className="ml-1.5 text-xs">
            <QueueTypeCell q={q} />
          </span>
        )}
      </td>
      <td className={tdNum}>
        <Consumers value={q.consumers} expectConsumer={needsConsumer(q)} />
      </td>
      <td className={td}>
        <QueueProcesses q={q} processes={processes} />
      </td>
      <td className={tdNum}><ReadyCell q={q} /></td>
      <td className={tdNum}><Count value={q.messagesUnacknowledged} warnAbove={100} /></td>
      <td className={tdNum}><Rate rates={q.rates} field="publish" /></td>
      <td className={tdNum}><Rate rates={q.rates} field="deliver" /></td>
      <td className={tdNum}><Rate rates={q.rates} field="ack" /></td>
    </tr>
  );
}
