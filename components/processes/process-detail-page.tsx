'use client';
import { Link } from '../ui/link';
import type { ProcessDetailResponse } from '@/lib/api/schemas';
import { useProcess } from '@/lib/client/hooks';
import { queueHref } from '@/lib/client/links';
import { useNow } from '@/lib/client/refresh';
import { Tag } from '../ui/badges';
import { Card, Empty, KeyValues, Stat, tableCls, td, tdNum, th, thNum, trCls } from '../ui/card';
import { formatAge, formatCount } from '../ui/format';
import { Rate } from '../ui/numbers';
import { PageFrame } from '../ui/page-frame';
import { HistoryPanel } from '../history/history-panel';
import { QueueTable } from '../queues/queue-table';
import { ProcessFindings } from '../findings/findings-panel';
import { hostSourceText, processLabel } from './labels';
import { refKey } from '@/lib/domain/keys';
import { HostLink } from '../hosts/host-link';

export function ProcessDetailPage({ id }: { id: string }) {
  const query = useProcess(id);
  return (
    <PageFrame
      kicker={<><Link href="/processes" className="hover:underline">Processes</Link> · process</>}
      title={query.data ? processLabel(query.data.process) : id}
      query={query}
      documentTitle={`Process ${id}`}
    >
      {(data) => <ProcessBody data={data} />}
    </PageFrame>
  );
}

function ProcessBody({ data }: { data: ProcessDetailResponse }) {
  const { process: p, connections } = data;
  const now = useNow(5000);
  return (
    <div className="space-y-3">
      <ProcessFindings processId={p.id} />
      <div className="grid gap-3 lg:grid-cols-[minmax(320px,1fr)_2fr]">
        <Card title="Process">
          <KeyValues
            items={[
              ['binary', p.binary ?? '–'],
              ['pid', p.pid === null ? '–' : String(p.pid)],
              [
                'host',
                <span key="h">
                  {p.host ? <HostLink host={p.host} /> : <span className="text-neutral-400">unknown</span>}
                  <span className="block text-xs text-neutral-500">{hostSourceText(p.hostSource)}</span>
                </span>,
              ],
              ['peer address', <span key="a" className="font-mono text-[12px]">{p.peerHost}</span>],
              ['user', p.user],
              ['vhosts', p.vhosts.join(', ') || '–'],
              ['identified by', p.oslo ? 'oslo connection_name (binary:pid:uuid)' : <Tag key="n">broker connection name (not an oslo client)</Tag>],
              ['connected', p.connectedAt ? `${formatAge(p.connectedAt, now)} ago` : '–'],
              ['id', <span key="i" className="font-mono text-[12px]">{p.id}</span>],
            ]}
          />
        </Card>
        <Card title="Activity">
          <div className="grid grid-cols-3 gap-3 sm:grid-cols-4 xl:grid-cols-7">
            <Stat label="connections" value={formatCount(p.connections.length)} />
            <Stat label="queues consumed" value={formatCount(p.consumes.length)} tone={p.oslo && p.consumes.length === 0 ? 'amber' : 'neutral'} />
            <Stat label="reply queues" value={formatCount(p.replyQueues.length)} />
            <Stat label="publish" value={<Rate rates={p.rates} field="publish" />} />
            <Stat label="deliver" value={<Rate rates={p.rates} field="deliver" />} />
            <Stat label="ack" value={<Rate rates={p.rates} field="ack" />} />
            <Stat label="redeliver" value={<Rate rates={p.rates} field="redeliver" />} />
          </div>
          {p.oslo && p.consumes.length === 0 && (
            <p className="mt-3 text-xs text-amber-800">
              Connected but consuming nothing: if this is an RPC server, its consumers were cancelled and requests to it wait.
            </p>
          )}
        </Card>
      </div>

      <Card title={`Connections (${connections.length}) and channels`} bodyClassName="p-0">
        {connections.length === 0 ? (
          <Empty>no connection</Empty>
        ) : (
          <div className="overflow-x-auto">
            <table className={tableCls}>
              <thead>
                <tr>
                  <th className={th}>connection / channel</th>
                  <th className={th}>client name</th>
                  <th className={th}>state</th>
                  <th className={th}>user · vhost</th>
                  <th className={thNum}>age</th>
                  <th className={thNum}>prefetch</th>
                  <th className={thNum}>consumers</th>
                  <th className={thNum}>unacked</th>
                  <th className={thNum}>publish</th>
                  <th className={thNum}>deliver</th>
                  <th className={th}>consumes</th>
                </tr>
              </thead>
              <tbody>
                {connections.map((c) => (
                  <ConnectionRows key={c.name} c={c} now={now} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <HistoryPanel title="History: queues consumed, rates" series={{ scope: 'process', key: p.id }} around={p.host ? { host: p.host } : { binary: p.binary ?? undefined }} backlog />

      <Card title={`Queues consumed (${data.consumes.length})`} bodyClassName="p-0">
        <QueueTable rows={data.consumes} showHost empty="consumes no queue" />
      </Card>
      <Card title={`Reply queues (${data.replyQueues.length})`} bodyClassName="p-0">
        <QueueTable rows={data.replyQueues} showKind={false} empty="no reply queue (it has not made an RPC call, or uses a queue we cannot attribute)" />
      </Card>
    </div>
  );
}

function ConnectionRows({ c, now }: { c: ProcessDetailResponse['connections'][number]; now: number }) {
  const stateTone = c.state === 'running' ? 'green' : c.state === 'blocked' || c.state === 'blocking' ? 'red' : 'amber';
  return (
    <>
      <tr className="border-t border-neutral-200 bg-neutral-50/70">
        <td className={`${td} name-wrap font-mono text-[12px] font-medium`}>{c.name}</td>
        <td className={`${td} name-wrap font-mono text-[12px]`}>{c.clientConnectionName ?? '–'}</td>
        <td className={td}>
          <Tag tone={stateTone}>{c.state}</Tag>
        </td>
        <td className={`${td} name-wrap`}>
          {c.user} · {c.vhost}
        </td>
        <td className={tdNum}>{c.connectedAt ? formatAge(c.connectedAt, now) : '–'}</td>
        <td className={tdNum} colSpan={5}>
          <span className="text-xs text-neutral-500">
            {c.channels} channel{c.channels === 1 ? '' : 's'}
            {c.product ? ` · ${c.product}${c.productVersion ? ` ${c.productVersion}` : ''}` : ''}
          </span>
        </td>
        <td className={td} />
      </tr>
      {c.channelDetails.map((ch) => (
        <tr key={ch.name} className={trCls}>
          <td className={`${td} name-wrap pl-6 font-mono text-[12px] text-neutral-600`}>channel {ch.number}</td>
          <td className={td} />
          <td className={td}>{ch.state ? <Tag>{ch.state}</Tag> : null}</td>
          <td className={td} />
          <td className={td} />
          <td className={tdNum}>{ch.prefetchCount === 0 ? 'unlimited' : ch.prefetchCount}</td>
          <td className={tdNum}>{ch.consumerCount}</td>
          <td className={tdNum}>{formatCount(ch.messagesUnacknowledged)}</td>
          <td className={tdNum}><Rate rates={ch.rates} field="publish" /></td>
          <td className={tdNum}><Rate rates={ch.rates} field="deliver" /></td>
          <td className={`${td} name-wrap`}>
            {ch.consumers.length === 0 ? (
              <span className="text-neutral-400">–</span>
            ) : (
              <ul>
                {ch.consumers.map((q) => (
                  <li key={refKey(q.vhost, q.name)}>
                    <Link className="text-accent-600 hover:underline" href={queueHref(q.vhost, q.name)}>
                      {q.name}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </td>
        </tr>
      ))}
    </>
  );
}
