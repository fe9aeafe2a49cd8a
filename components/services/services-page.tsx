'use client';
// The message-bus service list: `openstack compute service list`, seen from the broker.
import { Link } from '../ui/link';
import type { ActionStatus, ServiceGroup, ServiceProcessRef, ServiceRow, ServicesResponse } from '@/lib/api/schemas';
import { countWhere, isFailing, isInTrouble } from '@/lib/domain/services';
import { SERVICE_STATUSES, type ServiceStatus } from '@/lib/domain/vocabulary';
import { useServices } from '@/lib/client/hooks';
import { componentHref, processHref, queueHref, servicesHref, type ServicesFilters } from '@/lib/client/links';
import { useNow } from '@/lib/client/refresh';
import { useUrlFilters, useUrlText } from '@/lib/client/url-state';
import { Banner, PageFrame } from '../ui/page-frame';
import { Card, Empty, tableCls, td, tdNum, th, thNum, trCls } from '../ui/card';
import { Count, NotCounted } from '../ui/numbers';
import { SearchInput, Select } from '../ui/search-input';
import { PingButton } from './ping-button';
import { lastActivity, parseServicesFilters, STATUS_STYLE } from './services-shaping';
import { formatExact } from '../ui/format';
import { refKey } from '@/lib/domain/keys';
import { HostLink } from '../hosts/host-link';

/** Rows per group unless one topic is chosen: the worst come first, so trouble is never cut off. */
const ROWS_PER_GROUP = 25;

export function ServicesPage() {
  const [filters, setFilters] = useUrlFilters(parseServicesFilters, servicesHref);
  const [text, setText] = useUrlText(filters.q, (q) => setFilters({ q }));
  const query = useServices({ ...filters, limitPerGroup: filters.topic ? ALL_ROWS : ROWS_PER_GROUP });
  return (
    <PageFrame
      title="Services"
      subtitle="Every RPC server the broker knows of, per component and topic: is its per-server queue consumed, and does it answer?"
      query={query}
      documentTitle="Services"
    >
      {(data) => <ServicesBody data={data} dim={query.isPlaceholderData} filters={filters} text={text} setText={setText} setFilters={setFilters} />}
    </PageFrame>
  );
}

const ALL_ROWS = 100_000;
const STATUS_FILTER_OPTIONS = [
  { value: 'trouble', label: 'in trouble (not ok, not unknown)' },
  ...SERVICE_STATUSES.map((s) => ({ value: s, label: STATUS_STYLE[s].label })),
];

function ServicesBody({
  data,
  dim,
  filters,
  text,
  setText,
  setFilters,
}: {
  data: ServicesResponse;
  dim: boolean;
  filters: ServicesFilters;
  text: string;
  setText: (t: string) => void;
  setFilters: (p: Partial<ServicesFilters>) => void;
}) {
  const { groups, facets } = data;
  const any = Boolean(filters.component || filters.topic || filters.vhost || filters.q || filters.status);
  return (
    <div className={`space-y-3 transition-opacity ${dim ? 'opacity-70' : ''}`}>
      {!data.probe.enabled && (
        <Banner tone="neutral" title="Ping not enabled">
          {data.probe.reason ?? 'the RPC ping is not configured on this dashboard'}. The status below is read from the broker alone.
        </Banner>
      )}
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-md border border-neutral-200 bg-white px-3 py-2">
        <div className="flex flex-wrap items-center gap-2 text-xs" data-testid="service-counts">
          {SERVICE_STATUSES.map((s) => (
            <span key={s} className="flex items-center gap-1">
              <StatusBadge status={s} />
              <span className={`tabular font-semibold ${data.counts[s] > 0 && s !== 'ok' ? 'text-neutral-900' : 'text-neutral-500'}`}>{data.counts[s] ?? 0}</span>
            </span>
          ))}
        </div>
        <SearchInput label="filter by host" placeholder="host contains…" value={text} onChange={setText} className="w-56" />
        <Select label="status" value={filters.status ?? ''} onChange={(v) => setFilters({ status: (v || undefined) as ServicesFilters['status'] })} options={STATUS_FILTER_OPTIONS} />
        <Select
          label="component"
          value={filters.component ?? ''}
          onChange={(v) => setFilters({ component: v || undefined, topic: undefined })}
          options={facets.components.map((c) => ({ value: c, label: c }))}
        />
        <Select label="topic" value={filters.topic ?? ''} onChange={(v) => setFilters({ topic: v || undefined })} options={facets.topics.map((c) => ({ value: c, label: c }))} />
        {facets.vhosts.length > 1 && <Select label="vhost" value={filters.vhost ?? ''} onChange={(v) => setFilters({ vhost: v || undefined })} options={facets.vhosts.map((c) => ({ value: c, label: c }))} />}
        {any && (
          <button
            type="button"
            className="text-xs text-accent-600 hover:underline"
            onClick={() => {
              setText('');
              setFilters({ component: undefined, topic: undefined, vhost: undefined, q: undefined, status: undefined });
            }}
          >
            clear filters
          </button>
        )}
        <span className="ml-auto text-xs text-neutral-500">
          {formatExact(data.filtered)} of {formatExact(data.total)} servers
        </span>
      </div>
      {data.total === 0 ? (
        <Card>
          <Empty>no RPC server found on this broker (no per-server queue)</Empty>
        </Card>
      ) : groups.length === 0 ? (
        <Card>
          <Empty>no server matches these filters</Empty>
        </Card>
      ) : (
        groups.map((g) => (
          <ServiceGroupCard
            key={refKey(g.vhost, refKey(g.component ?? '', g.topic))}
            group={g}
            probe={data.probe}
            showVhost={facets.vhosts.length > 1}
            showAll={() => setFilters({ component: g.component ?? undefined, topic: g.topic, vhost: facets.vhosts.length > 1 ? g.vhost : undefined })}
          />
        ))
      )}
    </div>
  );
}

export function StatusBadge({ status, reason }: { status: ServiceStatus; reason?: string }) {
  const s = STATUS_STYLE[status] ?? STATUS_STYLE.down;
  return (
    <span
      className={`inline-flex items-center whitespace-nowrap rounded px-1.5 py-px text-[11px] font-semibold leading-4 ring-1 ring-inset ${s.cls}`}
      title={reason ?? s.title}
      data-status={status}
    >
      {s.label}
    </span>
  );
}

function ServiceGroupCard({ group: g, probe, showVhost, showAll }: { group: ServiceGroup; probe: ActionStatus; showVhost: boolean; showAll: () => void }) {
  const now = useNow(5000);
  return (
    <Card
      className={countWhere(g.counts, isFailing) > 0 ? 'border-red-200' : countWhere(g.counts, isInTrouble) > 0 ? 'border-amber-200' : ''}
      title={
        <span className="flex flex-wrap items-baseline gap-x-2">
          {g.component ? (
            <Link href={componentHref(g.component)} className="hover:underline">
              {g.component}
            </Link>
          ) : (
            <span className="text-neutral-500">(no component)</span>
          )}
          <span className="text-neutral-400">/</span>
          <span className="font-mono">{g.topic}</span>
          {showVhost && <span className="text-xs font-normal text-neutral-500">vhost {g.vhost}</span>}
        </span>
      }
      actions={
        <span className="flex items-center gap-2 text-xs text-neutral-600">
          {formatExact(g.total)} host{g.total === 1 ? '' : 's'}
          {SERVICE_STATUSES.filter((s) => s !== 'ok' && (g.counts[s] ?? 0) > 0).map((s) => (
            <span key={s} className="flex items-center gap-1">
              <StatusBadge status={s} /> {g.counts[s]}
            </span>
          ))}
        </span>
      }
      bodyClassName="p-0 overflow-x-auto"
    >
      <table className={`${tableCls} min-w-[72rem] table-fixed`} aria-label={`${g.component ?? ''} ${g.topic} servers`} data-testid="service-table">
        <colgroup>
          <col className="w-[11rem]" />
          <col className="w-[14rem]" />
          <col className="w-[12rem]" />
          <col />
          <col className="w-[4.5rem]" />
          <col className="w-[4.5rem]" />
          <col className="w-[6.5rem]" />
          <col className="w-[15rem]" />
          <col className="w-[13rem]" />
        </colgroup>
        <thead>
          <tr>
            <th className={th}>host</th>
            <th className={th}>per-server queue</th>
            <th className={th}>consumer process</th>
            <th className={th}>fanout queue</th>
            <th className={thNum}>ready</th>
            <th className={thNum}>unacked</th>
            <th className={th}>last activity</th>
            <th className={th}>status</th>
            <th className={th}>ping</th>
          </tr>
        </thead>
        <tbody>
          {g.rows.map((r) => (
            <ServiceRowView key={refKey(r.vhost, r.serverQueue)} r={r} now={now} probe={probe} />
          ))}
        </tbody>
      </table>
      {g.rows.length < g.total && (
        <div className="flex items-center gap-2 border-t border-neutral-100 px-3 py-1.5 text-xs text-neutral-600" data-testid="service-group-more">
          showing the {g.rows.length} worst of {formatExact(g.total)}
          <button type="button" className="text-accent-600 hover:underline" onClick={showAll}>
            show all {formatExact(g.total)}
          </button>
        </div>
      )}
    </Card>
  );
}

function ServiceRowView({ r, now, probe }: { r: ServiceRow; now: number; probe: ActionStatus }) {
  const activity = lastActivity(r.idleSince, now);
  return (
    <tr className={trCls} data-testid="service-row" data-host={r.host} data-vhost={r.vhost} data-status={r.status}>
      <td className={`${td} name-wrap font-medium`}>
        <HostLink host={r.host} className="text-neutral-900 hover:underline" />
        {r.server !== r.host && <span className="block text-xs font-normal text-neutral-500">server {r.server}</span>}
      </td>
      <td className={`${td} name-wrap`}>
        <Link href={queueHref(r.vhost, r.serverQueue)} className="text-accent-600 hover:underline">
          {r.serverQueue}
        </Link>
      </td>
      <td className={`${td} name-wrap`}>
        {r.processes.length > 0 ? (
          <ProcessRefs refs={r.processes} />
        ) : r.idleProcesses.length > 0 ? (
          <span>
            <ProcessRefs refs={r.idleProcesses} />
            <span className="block text-xs text-red-700">connected, not consuming</span>
          </span>
        ) : (
          <span className="text-neutral-400">none connected</span>
        )}
      </td>
      <td className={`${td} name-wrap`}>
        {r.fanoutQueue ? (
          <Link href={queueHref(r.vhost, r.fanoutQueue)} className="text-accent-600 hover:underline">
            {r.fanoutQueue}
          </Link>
        ) : (
          <span className="text-neutral-400">–</span>
        )}
      </td>
      <td className={tdNum}>
        {r.backlog ? <Count value={r.backlog.ready} warnAbove={0} alarmAbove={r.consumers === 0 ? 0 : 1000} /> : <NotCounted />}
      </td>
      <td className={tdNum}>{r.backlog ? <Count value={r.backlog.unacknowledged} warnAbove={100} /> : <NotCounted />}</td>
      {r.backlog ? (
        <td className={`${td} whitespace-nowrap ${activity === 'busy' ? 'text-neutral-800' : 'text-neutral-500'}`} title={r.idleSince === null ? 'the broker reports no idle time: it is busy' : `idle since ${new Date(r.idleSince).toISOString()}`}>
          {activity}
        </td>
      ) : (
        <td className={td}>
          <NotCounted />
        </td>
      )}
      <td className={td}>
        <div className="flex flex-col items-start gap-0.5">
          <StatusBadge status={r.status} reason={r.statusReason} />
          <span className="name-wrap text-xs text-neutral-600" data-testid="status-reason">
            {r.statusReason}
          </span>
        </div>
      </td>
      <td className={td}>
        <PingButton request={{ vhost: r.vhost, exchange: r.exchange ?? undefined, topic: r.topic, server: r.server }} probe={probe} />
      </td>
    </tr>
  );
}

function ProcessRefs({ refs }: { refs: ServiceProcessRef[] }) {
  return (
    <ul>
      {refs.map((p) => (
        <li key={p.id}>
          <Link href={processHref(p.id)} className="text-accent-600 hover:underline" title={p.id}>
            {p.binary ?? p.id}
            {p.pid !== null && <span className="text-neutral-500"> pid {p.pid}</span>}
          </Link>
        </li>
      ))}
    </ul>
  );
}
