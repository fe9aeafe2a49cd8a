'use client';
// Every cluster at a glance: which region, cell or service broker is in trouble, and the way in.
import NextLink from 'next/link';
import type { ClusterHealth, ClusterInfo } from '@/lib/api/schemas';
import { isInTrouble } from '@/lib/domain/services';
import { SERVICE_STATUSES } from '@/lib/domain/vocabulary';
import { useClustersHealth } from '@/lib/client/hooks';
import { clusterHref, findingsHref, servicesHref } from '@/lib/client/links';
import { useNow } from '@/lib/client/refresh';
import { StatusBadge } from '../services/services-page';
import { Tag } from '../ui/badges';
import { Mini } from '../ui/card';
import { formatAge, formatCount } from '../ui/format';
import { counted, Count, Rate } from '../ui/numbers';
import { PageSkeleton } from '../ui/skeleton';
import { clusterTrouble, sortClusters, type Trouble } from './clusters-shaping';

const RING: Record<Trouble, string> = {
  red: 'border-red-300 ring-1 ring-red-200',
  amber: 'border-amber-300',
  green: 'border-neutral-200',
  unknown: 'border-neutral-200',
};

export function ClustersPage() {
  const { data, error } = useClustersHealth();
  if (!data) {
    if (error) return <p className="text-[13px] text-red-800" role="alert">{error instanceof Error ? error.message : String(error)}</p>;
    return <PageSkeleton />;
  }
  const clusters = sortClusters(data.clusters);
  return (
    <div className="space-y-3">
      <div>
        <h1 className="text-lg font-semibold text-neutral-900">Clusters</h1>
        <p className="text-[13px] text-neutral-600">Every broker this dashboard watches, the one in most trouble first.</p>
      </div>
      <div className="grid gap-3 md:grid-cols-2 2xl:grid-cols-3">
        {clusters.map((c) => (
          <ClusterCard key={c.id} c={c} />
        ))}
      </div>
    </div>
  );
}

/** How old each part of what is shown is, and whether the server reads it when no one looks. */
function Freshness({ status, now }: { status: ClusterInfo['status']; now: number }) {
  if (status.capturedAt !== undefined || status.fetchedAt === null) return null;
  const parts = [
    `counts ${formatAge(status.fetchedAt, now)} old${status.source ? ` (${status.source.counts === 'prometheus' ? 'Prometheus plugin' : 'management API'})` : ''}`,
    status.source?.identityAt ? `who consumes read whole ${formatAge(status.source.identityAt, now)} ago` : null,
    status.watch === 'always' ? 'read whether anyone looks or not' : status.watch === 'on-demand' ? 'read while someone looks' : null,
  ];
  return (
    <p className="mt-1 text-xs text-neutral-500" data-testid="freshness" title={status.source?.why}>
      {parts.filter(Boolean).join(' · ')}
    </p>
  );
}

function ClusterCard({ c }: { c: ClusterInfo & { health?: ClusterHealth } }) {
  const now = useNow(5000);
  const h = c.health;
  const trouble = clusterTrouble(c.status, h);
  const base = clusterHref(c.id);
  const inTrouble = SERVICE_STATUSES.filter((s) => isInTrouble(s) && (h?.services[s] ?? 0) > 0);
  const unknown = h?.services.unknown ?? 0;
  const servers = Object.values(h?.services ?? {}).reduce((a, b) => a + (b ?? 0), 0);
  const stats = h?.statsEnabled !== false;
  return (
    <section className={`rounded-md border bg-white p-3 shadow-xs ${RING[trouble]}`} data-testid={`cluster-${c.id}`} data-trouble={trouble}>
      <header className="flex items-baseline justify-between gap-2">
        <NextLink href={base} className="text-[15px] font-semibold text-accent-700 hover:underline">
          {c.name}
        </NextLink>
        <span className="truncate text-xs text-neutral-500" title={c.managementUrl}>
          {h?.broker?.clusterName ?? c.managementUrl}
          {h?.broker?.rabbitmqVersion && ` · RabbitMQ ${h.broker.rabbitmqVersion}`}
        </span>
      </header>
      {c.capturedAt !== null && (
        <p className="mt-1 text-xs">
          <Tag tone="amber" title="read-only: nothing here is live">
            offline capture of {new Date(c.capturedAt).toISOString().replace('T', ' ').slice(0, 16)} UTC
          </Tag>
        </p>
      )}
      <Freshness status={c.status} now={now} />
      {c.status.error && (
        <p className="mt-1.5 rounded bg-red-50 px-2 py-1 text-xs text-red-800" role="alert">
          {c.status.fetchedAt === null ? 'cannot read the broker' : `stale since ${formatAge(c.status.error.since, now)}`}: {c.status.error.message}
        </p>
      )}
      <div className="mt-2 grid grid-cols-4 gap-x-3 gap-y-1.5 text-xs">
        <Mini
          label="critical"
          value={
            <NextLink href={`${base}${findingsHref()}`} className={h?.findings.critical ? 'font-semibold text-red-700 hover:underline' : 'text-neutral-400'}>
              {h ? formatCount(h.findings.critical) : '…'}
            </NextLink>
          }
        />
        <Mini label="warning" value={<span className={h?.findings.warning ? 'font-semibold text-amber-700' : 'text-neutral-400'}>{h ? formatCount(h.findings.warning) : '…'}</span>} />
        <Mini label="node alarms" value={<span className={h?.nodeAlarms ? 'font-semibold text-red-700' : 'text-neutral-400'}>{h ? formatCount(h.nodeAlarms) : '…'}</span>} />
        <Mini label="RPC servers" value={formatCount(servers)} />
        <Mini label="ready" value={counted(stats, <Count value={h?.totals?.backlog.ready} warnAbove={0} alarmAbove={1000} />)} />
        <Mini label="unacked" value={counted(stats, <Count value={h?.totals?.backlog.unacknowledged} warnAbove={100} />)} />
        <Mini label="publish" value={<Rate rates={h?.totals?.rates} field="publish" />} />
        <Mini label="deliver" value={<Rate rates={h?.totals?.rates} field="deliver" />} />
        <Mini label="queues" value={formatCount(h?.totals?.queues)} />
        <Mini label="connections" value={formatCount(h?.totals?.connections)} />
        <Mini label="processes" value={formatCount(h?.totals?.processes)} />
        <Mini label="consumers" value={counted(stats, formatCount(h?.totals?.consumers))} />
      </div>
      {(inTrouble.length > 0 || unknown > 0) && (
        <div className="mt-2 flex flex-wrap items-center gap-3 text-xs">
          {inTrouble.length > 0 && (
            <NextLink href={`${base}${servicesHref({ status: 'trouble' })}`} className="flex flex-wrap items-center gap-1.5 hover:underline">
              {inTrouble.map((s) => (
                <span key={s} className="flex items-center gap-1">
                  <StatusBadge status={s} /> {h?.services[s]}
                </span>
              ))}
            </NextLink>
          )}
          {unknown > 0 && (
            <NextLink href={`${base}${servicesHref({ status: 'unknown' })}`} className="flex items-center gap-1 hover:underline">
              <StatusBadge status="unknown" /> {unknown}
            </NextLink>
          )}
        </div>
      )}
    </section>
  );
}
