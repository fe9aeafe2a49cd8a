'use client';
import { Link } from '../ui/link';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import type { QueueRow, QueuesResponse } from '@/lib/api/schemas';
import { useQueues } from '@/lib/client/hooks';
import { componentHref, queueHref, queuesHref, type QueueListFilters } from '@/lib/client/links';
import { useUrlFilters, useUrlText } from '@/lib/client/url-state';
import { KIND_LABELS, KindBadge } from '../ui/badges';
import { formatExact } from '../ui/format';
import { Consumers, Count, Rate } from '../ui/numbers';
import { PageFrame } from '../ui/page-frame';
import { SearchInput, Select } from '../ui/search-input';
import { SkeletonBlock } from '../ui/skeleton';
import { needsConsumer } from '@/lib/domain/health';
import { QUEUE_KINDS, type QueueSortKey } from '@/lib/domain/vocabulary';
import { rowTint } from '../ui/health';
import { QueueTypeCell, ReadyCell } from './queue-cells';
import { narrowByName, nextSort, parseQueueFilters } from './queue-shaping';
import { refKey } from '@/lib/domain/keys';

const ROW_ESTIMATE = 30;
/** The URL follows the name box once typing pauses; the list follows every key. */
const URL_SETTLE_MS = 300;

interface Column {
  key: string;
  label: string;
  sort?: QueueSortKey;
  num?: boolean;
  width: string;
}

export function QueuesPage() {
  const [filters, setFilters] = useUrlFilters(parseQueueFilters, queuesHref);
  const [text, setText] = useUrlText(filters.q, (q) => setFilters({ q }), URL_SETTLE_MS);
  // Every key asks the server at once (it answers from memory in milliseconds, the broker is not
  // asked; an answer overtaken by the next key is cancelled), without waiting for the URL.
  const asked = useMemo(() => ({ ...filters, q: text || undefined }), [filters, text]);

  const query = useQueues(asked);
  const pages = query.data?.pages;
  const first = pages?.[0];
  const frameQuery = {
    data: first,
    error: query.error,
    isFetching: query.isFetching,
    isPlaceholderData: query.isPlaceholderData,
  };

  return (
    <PageFrame
      title="Queues"
      subtitle={first ? `${formatExact(first.filtered)} matching of ${formatExact(first.total)} queues` : undefined}
      query={frameQuery}
    >
      {(firstPage) => (
        <div className="space-y-2">
          <Filters filters={filters} facets={firstPage.facets} text={text} setText={setText} setFilters={setFilters} />
          <QueueList
            pages={pages ?? [firstPage]}
            filters={asked}
            typed={text}
            dim={query.isPlaceholderData}
            hasNextPage={query.hasNextPage}
            isFetchingNextPage={query.isFetchingNextPage}
            fetchNextPage={query.fetchNextPage}
            onSort={(col) => setFilters(nextSort(filters, col))}
            multiVhost={firstPage.facets.vhosts.length > 1}
          />
        </div>
      )}
    </PageFrame>
  );
}

function Filters({
  filters,
  facets,
  text,
  setText,
  setFilters,
}: {
  filters: QueueListFilters;
  facets: QueuesResponse['facets'];
  text: string;
  setText: (t: string) => void;
  setFilters: (p: Partial<QueueListFilters>) => void;
}) {
  const any = Boolean(filters.kind || filters.component || filters.host || filters.vhost || filters.q);
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-md border border-neutral-200 bg-white px-3 py-2">
      <SearchInput label="filter by name" placeholder="queue name contains…" value={text} onChange={setText} />
      <Select label="kind" value={filters.kind ?? ''} onChange={(v) => setFilters({ kind: (v || undefined) as QueueListFilters['kind'] })} options={QUEUE_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))} />
      <Select label="component" value={filters.component ?? ''} onChange={(v) => setFilters({ component: v || undefined })} options={withCurrent(facets.components, filters.component).map((c) => ({ value: c, label: c }))} />
      <Select label="host" value={filters.host ?? ''} onChange={(v) => setFilters({ host: v || undefined })} options={withCurrent(facets.hosts, filters.host).map((c) => ({ value: c, label: c }))} />
      {(facets.vhosts.length > 1 || filters.vhost) && (
        <Select label="vhost" value={filters.vhost ?? ''} onChange={(v) => setFilters({ vhost: v || undefined })} options={withCurrent(facets.vhosts, filters.vhost).map((c) => ({ value: c, label: c }))} />
      )}
      {any && (
        <button
          type="button"
          className="text-xs text-accent-600 hover:underline"
          onClick={() => {
            setText('');
            setFilters({ kind: undefined, component: undefined, host: undefined, vhost: undefined, q: undefined });
          }}
        >
          clear filters
        </button>
      )}
    </div>
  );
}

function withCurrent(list: string[], current: string | undefined): string[] {
  return current && !list.includes(current) ? [current, ...list] : list;
}

function QueueList({
  pages,
  filters,
  dim,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  onSort,
  multiVhost,
  typed,
}: {
  pages: QueuesResponse[];
  filters: QueueListFilters;
  /** The name filter as typed: narrows the rows shown while the server's answer is on its way. */
  typed: string;
  dim: boolean;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  onSort: (col: QueueSortKey) => void;
  multiVhost: boolean;
}) {
  const loaded = useMemo(() => pages.flatMap((p) => p.items), [pages]);
  // Typing answers at once: until the server's answer for the new text arrives (every queue,
  // not only those loaded), the previous answer's rows are shown narrowed to it.
  const ahead = dim;
  const rows = useMemo(() => (ahead ? narrowByName(loaded, typed) : loaded), [ahead, loaded, typed]);
  const filtered = ahead ? rows.length : (pages[0]?.filtered ?? rows.length);
  const count = hasNextPage && !ahead ? Math.max(filtered, rows.length) : rows.length;

  const columns: Column[] = useMemo(
    () => [
      { key: 'name', label: 'queue', sort: 'name', width: 'minmax(16rem, 1fr)' },
      { key: 'kind', label: 'kind', width: '4.5rem' },
      { key: 'type', label: 'type', width: '7rem' },
      { key: 'component', label: 'component', width: '7rem' },
      { key: 'host', label: 'host / server', width: 'minmax(7rem, 12rem)' },
      ...(multiVhost ? [{ key: 'vhost', label: 'vhost', width: 'minmax(6rem, 10rem)' }] : []),
      { key: 'consumers', label: 'consumers', sort: 'consumers', num: true, width: '5.5rem' },
      { key: 'ready', label: 'ready', sort: 'messagesReady', num: true, width: '6.5rem' },
      { key: 'unacked', label: 'unacked', sort: 'messagesUnacknowledged', num: true, width: '5.5rem' },
      { key: 'publish', label: 'publish', sort: 'publish', num: true, width: '5rem' },
      { key: 'deliver', label: 'deliver', sort: 'deliver', num: true, width: '5rem' },
      { key: 'ack', label: 'ack', sort: 'ack', num: true, width: '5rem' },
      { key: 'redeliver', label: 'redeliver', sort: 'redeliver', num: true, width: '5.5rem' },
    ],
    [multiVhost],
  );
  const gridTemplateColumns = columns.map((c) => c.width).join(' ');

  const parentRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 12,
    getItemKey: (i) => {
      const r = rows[i];
      return r ? refKey(r.vhost, r.name) : `placeholder-${i}`;
    },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;

  // More of the list as it scrolls; not while typing runs ahead of the server (the loaded
  // rows are narrowed then, and the next page of the old answer is not wanted).
  useEffect(() => {
    if (!ahead && hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - 20) void fetchNextPage();
  }, [ahead, hasNextPage, isFetchingNextPage, lastIndex, rows.length, fetchNextPage]);

  const currentSort = filters.sort ?? 'name';
  const currentOrder = filters.order ?? (currentSort === 'name' ? 'asc' : 'desc');

  return (
    <div className={`rounded-md border border-neutral-200 bg-white transition-opacity ${dim ? 'opacity-70' : ''}`} role="table" aria-label="queues" aria-rowcount={count}>
      <div ref={parentRef} className="relative h-[calc(100vh-13rem)] min-h-[320px] overflow-auto" data-testid="queue-scroll">
        <div role="rowgroup" className="sticky top-0 z-10 min-w-[76rem] border-b border-neutral-200 bg-neutral-50">
          <div role="row" className="grid" style={{ gridTemplateColumns }}>
            {columns.map((c) => {
              const active = c.sort && c.sort === currentSort;
              return (
                <div key={c.key} role="columnheader" aria-sort={active ? (currentOrder === 'asc' ? 'ascending' : 'descending') : undefined} className={`px-2 py-1.5 text-[11px] font-semibold uppercase tracking-wide text-neutral-500 ${c.num ? 'text-right' : ''}`}>
                  {c.sort ? (
                    <button type="button" onClick={() => onSort(c.sort!)} className={`uppercase hover:text-neutral-900 ${active ? 'text-accent-700' : ''}`}>
                      {c.label}
                      {active ? (currentOrder === 'asc' ? ' ▲' : ' ▼') : ''}
                    </button>
                  ) : (
                    c.label
                  )}
                </div>
              );
            })}
          </div>
        </div>
        {count === 0 ? (
          <div className="px-3 py-6 text-center text-[13px] text-neutral-500">no queue matches these filters</div>
        ) : (
          <div role="rowgroup" className="relative min-w-[76rem]" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((vi) => {
              const q = rows[vi.index];
              return (
                <div
                  key={vi.key}
                  data-index={vi.index}
                  ref={virtualizer.measureElement}
                  role="row"
                  className="absolute left-0 top-0 w-full"
                  style={{ transform: `translateY(${vi.start}px)` }}
                >
                  {q ? <QueueRowView q={q} gridTemplateColumns={gridTemplateColumns} multiVhost={multiVhost} /> : <PlaceholderRow />}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}

function PlaceholderRow() {
  return (
    <div className="flex h-[30px] items-center border-t border-neutral-100 px-2">
      <SkeletonBlock className="h-3 w-1/3" />
    </div>
  );
}

const cell = 'px-2 py-1 min-w-0';
const num = 'px-2 py-1 text-right tabular whitespace-nowrap';

function QueueRowView({ q, gridTemplateColumns, multiVhost }: { q: QueueRow; gridTemplateColumns: string; multiVhost: boolean }) {
  return (
    <div className={`grid border-t border-neutral-100 text-[13px] hover:bg-neutral-50 ${rowTint(q.health)}`} style={{ gridTemplateColumns }} data-health={q.health}>
      <div role="cell" className={`${cell} name-wrap`}>
        <Link href={queueHref(q.vhost, q.name)} className="text-accent-600 hover:underline">
          {q.name}
        </Link>
      </div>
      <div role="cell" className={cell}>
        <KindBadge kind={q.kind} />
      </div>
      <div role="cell" className={cell}>
        <QueueTypeCell q={q} />
      </div>
      <div role="cell" className={`${cell} name-wrap`}>
        {q.component ? (
          <Link href={componentHref(q.component)} className="hover:underline">
            {q.component}
          </Link>
        ) : (
          <span className="text-neutral-400">–</span>
        )}
      </div>
      <div role="cell" className={`${cell} name-wrap`}>{q.host ?? q.server ?? <span className="text-neutral-400">–</span>}</div>
      {multiVhost && <div role="cell" className={`${cell} name-wrap`}>{q.vhost}</div>}
      <div role="cell" className={num}><Consumers value={q.consumers} expectConsumer={needsConsumer(q)} /></div>
      <div role="cell" className={num}><ReadyCell q={q} /></div>
      <div role="cell" className={num}><Count value={q.messagesUnacknowledged} warnAbove={100} /></div>
      <div role="cell" className={num}><Rate rates={q.rates} field="publish" /></div>
      <div role="cell" className={num}><Rate rates={q.rates} field="deliver" /></div>
      <div role="cell" className={num}><Rate rates={q.rates} field="ack" /></div>
      <div role="cell" className={num}><Rate rates={q.rates} field="redeliver" /></div>
    </div>
  );
}
