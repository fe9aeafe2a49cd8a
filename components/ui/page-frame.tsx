'use client';
// The frame of every page: title, live status ("updated N s ago", pause),
// error banners that keep the last data on screen, skeleton while loading.
import { useEffect, type ReactNode } from 'react';
import type { SnapshotStatus } from '@/lib/api/schemas';
import { ApiRequestError } from '@/lib/client/fetcher';
import { cadenceOf, useNow, useRefreshSettings } from '@/lib/client/refresh';
import { Tag } from './badges';
import { formatAge, formatDuration } from './format';
import { PageSkeleton } from './skeleton';

interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isFetching: boolean;
  isPlaceholderData?: boolean;
}

export function PageFrame<T extends { status: SnapshotStatus }>({
  title,
  kicker,
  subtitle,
  query,
  children,
  skeleton,
  documentTitle,
  meanwhile,
}: {
  title: ReactNode;
  kicker?: ReactNode;
  subtitle?: ReactNode;
  query: QueryLike<T>;
  children: (data: T) => ReactNode;
  skeleton?: ReactNode;
  /** The browser tab's title (route files do not read params in generateMetadata, see lib/client/route-params). */
  documentTitle?: string;
  /** What can be shown before the first answer, or while there is none (what the store remembers): said to be that. */
  meanwhile?: ReactNode;
}) {
  const { data, error } = query;
  useEffect(() => {
    // Re-applied on each refresh: Next writes the layout's metadata title after hydration.
    if (documentTitle) document.title = `${documentTitle} · Rabbit Lens`;
  }, [documentTitle, data]);
  const status = data?.status ?? (error instanceof ApiRequestError ? error.snapshot ?? undefined : undefined);
  const stale = Boolean(error) || Boolean(status?.stale);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-x-4 gap-y-1">
        <div className="min-w-0">
          {kicker && <div className="text-xs font-medium text-neutral-500">{kicker}</div>}
          <h1 className="name-wrap text-lg font-semibold text-neutral-900">{title}</h1>
          {subtitle && <div className="text-[13px] text-neutral-600">{subtitle}</div>}
        </div>
        <LiveStatus status={status} fetching={query.isFetching} stale={stale} />
      </div>
      <Banners error={error} status={status} hasData={data !== undefined} />
      {data !== undefined ? (
        <div data-stale={stale ? 'true' : undefined}>{children(data)}</div>
      ) : error ? null : (
        (skeleton ?? <PageSkeleton />)
      )}
      {data === undefined && meanwhile && (
        <section data-testid="meanwhile" className="space-y-2 rounded border border-dashed border-neutral-300 p-2">
          <p className="text-xs text-neutral-600">
            <Tag tone="amber">remembered</Tag> Until the broker answers: what this dashboard kept of it before, from its store.
          </p>
          {meanwhile}
        </section>
      )}
    </div>
  );
}

export function LiveStatus({ status, fetching, stale }: { status: SnapshotStatus | undefined; fetching: boolean; stale: boolean }) {
  const now = useNow(1000);
  const { paused, setPaused } = useRefreshSettings();
  const age = dataAge(status, now);
  const cadence = status ? cadenceOf({ status }) : false;
  return (
    <div className="flex items-center gap-2 text-xs text-neutral-600" data-testid="live-status">
      {age !== null && (
        <Tag tone="red" title={`the server reads the broker every ${formatDuration(status?.refreshIntervalMs)}; what is shown is older than two of those`}>
          <span data-testid="data-age">data {formatDuration(age)} old</span>
        </Tag>
      )}
      {stale && <Tag tone="amber" title="the last refresh failed: these numbers are older">stale</Tag>}
      {status?.capturedAt !== undefined ? (
        <Tag tone="amber" title="an offline capture: read-only">captured {formatAge(status.capturedAt, now)} ago</Tag>
      ) : (
        <span className="tabular" title={cadenceText(status, now)}>
          {status?.fetchedAt ? <>updated {formatAge(status.fetchedAt, now)} ago</> : 'not yet updated'}
        </span>
      )}
      <span
        className={`inline-block h-2 w-2 rounded-full ${paused ? 'bg-neutral-300' : fetching ? 'animate-pulse bg-accent-500' : stale ? 'bg-amber-500' : 'bg-emerald-500'}`}
        aria-hidden
      />
      <button
        type="button"
        onClick={() => setPaused(!paused)}
        className="rounded border border-neutral-300 bg-white px-2 py-0.5 font-medium text-neutral-700 hover:bg-neutral-100"
        aria-pressed={paused}
        title={paused ? 'resume auto-refresh' : cadence ? `pause auto-refresh (every ${formatDuration(cadence)}, as the server reads the broker)` : 'pause auto-refresh'}
      >
        {paused ? '▶ resume' : '❚❚ pause'}
      </button>
    </div>
  );
}

/**
 * How old what is shown is, when it is older than two of the server's intervals (the server
 * stopped managing to read the broker, or this page stopped reaching the server); null otherwise.
 */
export function dataAge(status: SnapshotStatus | undefined, now: number): number | null {
  if (!status?.fetchedAt || status.capturedAt !== undefined || status.refreshIntervalMs <= 0) return null;
  const age = now - status.fetchedAt;
  return age > 2 * status.refreshIntervalMs ? age : null;
}

/** The server's two cadences: counts on every refresh, the topology less often. */
export function cadenceText(status: SnapshotStatus | undefined, now: number): string | undefined {
  if (!status) return undefined;
  const every = (ms: number) => `every ${formatDuration(ms)}`;
  const counts = `counts and rates: read ${every(status.refreshIntervalMs)}${status.fetchedAt ? `, last ${formatAge(status.fetchedAt, now)} ago` : ''}`;
  const t = status.topology;
  const topology = t ? `; exchanges, bindings and queue metadata: ${every(t.refreshIntervalMs)}${t.fetchedAt ? `, last ${formatAge(t.fetchedAt, now)} ago` : ''}` : '';
  return `${counts}${topology}. One snapshot serves everyone who reads the broker as the same user.`;
}

function Banners({ error, status, hasData }: { error: unknown; status: SnapshotStatus | undefined; hasData: boolean }) {
  const now = useNow(1000);
  const banners: ReactNode[] = [];
  if (error) {
    const e = error instanceof ApiRequestError ? error : null;
    if (e?.notFound) {
      banners.push(
        <Banner key="nf" tone="neutral" title="Not found">
          {e.message}. It may have been deleted (reply and fanout queues expire when their process is gone).
        </Banner>,
      );
    } else if (e?.unavailable) {
      banners.push(
        <Banner key="un" tone="red" title={e.httpStatus === 0 ? 'Dashboard server unreachable' : `No fresh data (HTTP ${e.httpStatus})`}>
          {e.message}
          {hasData ? ' — the data below is the last known state and is stale.' : ''}
        </Banner>,
      );
    } else {
      banners.push(
        <Banner key="err" tone="red" title={e ? `Request failed (HTTP ${e.httpStatus})` : 'Request failed'}>
          {e?.message ?? String(error)}
          {hasData ? ' — showing the last data received.' : ''}
        </Banner>,
      );
    }
  }
  if (status?.error && !(error instanceof ApiRequestError && error.unavailable)) {
    banners.push(
      <Banner key="st" tone={status.stale ? 'amber' : 'neutral'} title="Broker refresh failing">
        since {formatAge(status.error.since, now)}: {status.error.message}
        {status.error.request ? <span className="text-neutral-500"> ({status.error.request})</span> : null}
        {status.fetchedAt ? ` — showing the snapshot from ${formatAge(status.fetchedAt, now)} ago.` : ''}
      </Banner>,
    );
  }
  const age = dataAge(status, now);
  if (age !== null && !status?.error && !error) {
    banners.push(
      <Banner key="old" tone="amber" title="Old data">
        {status?.watch === 'on-demand' && status.refreshing ? (
          <>what is shown was read from the broker {formatDuration(age)} ago, when someone last looked (this cluster is read only while someone does): a refresh is under way.</>
        ) : (
          <>
            what is shown was read from the broker {formatDuration(age)} ago, although the server reads it every {formatDuration(status?.refreshIntervalMs)}
            {status?.refreshing ? ': a refresh is under way and has not finished yet (a slow broker).' : '.'}
          </>
        )}
      </Banner>,
    );
  }
  if (status?.capturedAt !== undefined) {
    banners.push(
      <Banner key="capture" tone="amber" title="Offline capture">
        the broker as it was read on {new Date(status.capturedAt).toISOString().replace('T', ' ').slice(0, 19)} UTC ({formatAge(status.capturedAt, now)} ago). Nothing here is live, and
        nothing can be sent to it.
      </Banner>,
    );
  }
  if (status?.warnings?.length) {
    banners.push(
      <Banner key="partial" tone="neutral" title="Part of the broker could not be read">
        {status.warnings.join('; ')}.{status.capturedAt === undefined ? ' Everything else on this page is current.' : ''}
      </Banner>,
    );
  }
  if (banners.length === 0) return null;
  return <div className="space-y-2">{banners}</div>;
}

export function Banner({ tone, title, children }: { tone: 'red' | 'amber' | 'neutral'; title: string; children: ReactNode }) {
  const cls = {
    red: 'border-red-200 bg-red-50 text-red-800',
    amber: 'border-amber-200 bg-amber-50 text-amber-900',
    neutral: 'border-neutral-200 bg-white text-neutral-700',
  }[tone];
  return (
    <div role="alert" className={`name-wrap rounded-md border px-3 py-2 text-[13px] ${cls}`}>
      <span className="font-semibold">{title}: </span>
      {children}
    </div>
  );
}
