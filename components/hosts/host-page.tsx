'use client';
// Everything on one hypervisor or controller: its RPC servers (consumed or not), its processes
// with their connections and what they consume, its findings, its history and its timeline.
import type { HostDetailResponse } from '@/lib/api/schemas';
import { useHost, useJournal } from '@/lib/client/hooks';
import { processesHref, processHref, queueHref, timelineHref } from '@/lib/client/links';
import { useNow } from '@/lib/client/refresh';
import { refKey } from '@/lib/domain/keys';
import { isFailing, isInTrouble } from '@/lib/domain/services';
import { SubjectFindings } from '../findings/findings-panel';
import { HistoryPanel } from '../history/history-panel';
import { TimelineList } from '../history/timeline-list';
import { processLabel } from '../processes/labels';
import { QueueTable } from '../queues/queue-table';
import { StatusBadge } from '../services/services-page';
import { Card, Empty, Stat, tableCls, td, tdNum, th, thNum, trCls } from '../ui/card';
import { formatAge, formatCount } from '../ui/format';
import { Link } from '../ui/link';
import { Rate } from '../ui/numbers';
import { PageFrame } from '../ui/page-frame';

export function HostPage({ host }: { host: string }) {
  const query = useHost(host);
  return (
    <PageFrame
      kicker={<><Link href={processesHref({ q: host })} className="hover:underline">Processes</Link> · host</>}
      title={host}
      subtitle="a hypervisor or controller: its services, processes, queues, findings, history and timeline"
      query={query}
      documentTitle={`Host ${host}`}
    >
      {(data) => <HostBody data={data} />}
    </PageFrame>
  );
}

function HostBody({ data }: { data: HostDetailResponse }) {
  const now = useNow(5000);
  const { host, processes, services } = data;
  const inTrouble = services.filter((s) => isInTrouble(s.status)).length;
  const failing = services.filter((s) => isFailing(s.status)).length;
  const unknown = services.filter((s) => s.status === 'unknown').length;
  const connections = processes.reduce((n, p) => n + p.connections.length, 0);
  return (
    <div className="space-y-3" data-testid="host-page">
      {processes.length === 0 && services.length === 0 && data.otherQueues.length === 0 && (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-[13px] text-amber-900" data-testid="host-absent">
          Nothing on the broker belongs to {host} now: no process connects from it and no queue is named after it. Its history and timeline below say what was there.
        </p>
      )}
      <SubjectFindings findings={data.findings} what="host" />
      <Card title="At a glance">
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Stat label="processes" value={formatCount(processes.length)} />
          <Stat label="connections" value={formatCount(connections)} />
          <Stat label="RPC servers" value={formatCount(services.length)} />
          <Stat
            label="in trouble"
            value={formatCount(inTrouble)}
            tone={failing > 0 ? 'red' : inTrouble > 0 ? 'amber' : 'neutral'}
            hint={unknown > 0 ? `${formatCount(unknown)} unknown: the broker does not say` : undefined}
          />
        </div>
      </Card>

      <Card title={`RPC servers on ${host} (${services.length})`} bodyClassName="p-0">
        {services.length === 0 ? (
          <Empty>no per-server RPC queue is named after this host</Empty>
        ) : (
          <div className="overflow-x-auto">
            <table className={tableCls}>
              <thead>
                <tr>
                  <th className={th}>service</th>
                  <th className={th}>server queue</th>
                  <th className={th}>status</th>
                  <th className={th}>consumed by</th>
                  <th className={thNum}>consumers</th>
                  <th className={thNum}>ready</th>
                  <th className={thNum}>unacked</th>
                </tr>
              </thead>
              <tbody>
                {services.map((s) => (
                  <tr key={refKey(s.vhost, s.serverQueue)} className={trCls} data-testid="host-service" data-status={s.status}>
                    <td className={`${td} name-wrap`}>
                      {s.component ? `${s.component} · ` : ''}
                      {s.topic}
                    </td>
                    <td className={`${td} name-wrap`}>
                      <Link className="text-accent-600 hover:underline" href={queueHref(s.vhost, s.serverQueue)}>
                        {s.serverQueue}
                      </Link>
                    </td>
                    <td className={td}>
                      <StatusBadge status={s.status} reason={s.statusReason} />
                    </td>
                    <td className={`${td} name-wrap`}>
                      {[...s.processes, ...s.idleProcesses].map((p) => (
                        <Link key={p.id} className="mr-2 text-accent-600 hover:underline" href={processHref(p.id)}>
                          {p.binary ?? p.id}
                          {p.pid !== null ? ` (${p.pid})` : ''}
                        </Link>
                      ))}
                      {s.processes.length === 0 && s.idleProcesses.length > 0 && <span className="text-xs text-red-700">connected, not consuming</span>}
                      {s.processes.length === 0 && s.idleProcesses.length === 0 && <span className="text-neutral-400">none connected</span>}
                    </td>
                    <td className={tdNum}>{s.consumers ?? '–'}</td>
                    <td className={tdNum}>{s.backlog ? formatCount(s.backlog.ready) : '–'}</td>
                    <td className={tdNum}>{s.backlog ? formatCount(s.backlog.unacknowledged) : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <Card title={`Processes on ${host} (${processes.length})`} bodyClassName="p-0">
        {processes.length === 0 ? (
          <Empty>no process connects from this host now</Empty>
        ) : (
          <div className="overflow-x-auto">
            <table className={tableCls}>
              <thead>
                <tr>
                  <th className={th}>process</th>
                  <th className={th}>connections</th>
                  <th className={thNum}>connected</th>
                  <th className={thNum}>publish</th>
                  <th className={thNum}>deliver</th>
                  <th className={th}>consumes</th>
                </tr>
              </thead>
              <tbody>
                {processes.map(({ process: p, connections: conns, consumes }) => (
                  <tr key={p.id} className={trCls} data-testid="host-process">
                    <td className={`${td} name-wrap`}>
                      <Link className="font-medium text-accent-600 hover:underline" href={processHref(p.id)}>
                        {processLabel(p)}
                      </Link>
                    </td>
                    <td className={`${td} name-wrap font-mono text-[12px]`}>
                      {conns.map((c) => (
                        <span key={c.name} className="block">
                          {c.name} <span className="text-neutral-500">({c.state})</span>
                        </span>
                      ))}
                    </td>
                    <td className={tdNum}>{p.connectedAt ? formatAge(p.connectedAt, now) : '–'}</td>
                    <td className={tdNum}><Rate rates={p.rates} field="publish" /></td>
                    <td className={tdNum}><Rate rates={p.rates} field="deliver" /></td>
                    <td className={`${td} name-wrap`}>
                      {consumes.length === 0 ? (
                        <span className={p.oslo ? 'text-amber-700' : 'text-neutral-400'}>nothing</span>
                      ) : (
                        consumes.map((q) => (
                          <Link key={refKey(q.vhost, q.name)} className="mr-2 inline-block text-accent-600 hover:underline" href={queueHref(q.vhost, q.name)}>
                            {q.name}
                          </Link>
                        ))
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      {data.otherQueues.length > 0 && (
        <Card title={`Other queues named after ${host} (${data.otherQueues.length})`} bodyClassName="p-0">
          <QueueTable rows={data.otherQueues} />
        </Card>
      )}

      <HistoryPanel title={`History of ${host}: its queues' backlog and consumers, its processes' rates`} series={{ scope: 'host', key: host }} around={{ host }} />
      <HostTimeline host={host} />
    </div>
  );
}

function HostTimeline({ host }: { host: string }) {
  const query = useJournal({ host, range: '24h' });
  return (
    <Card
      title={`Timeline of ${host}, last 24 h`}
      actions={
        <Link className="text-xs text-accent-600 hover:underline" href={timelineHref({ host, range: '24h' })}>
          open in the timeline →
        </Link>
      }
      bodyClassName="p-0"
    >
      {query.data ? <TimelineList data={query.data} empty="nothing changed on this host in the last 24 h" /> : <div className="h-24 animate-pulse bg-neutral-50" />}
    </Card>
  );
}
