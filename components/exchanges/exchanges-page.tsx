'use client';
import { Link } from '../ui/link';
import { useMemo } from 'react';
import type { Exchange } from '@/lib/api/schemas';
import type { ExchangeGroup } from '@/lib/domain/vocabulary';
import { useExchanges } from '@/lib/client/hooks';
import { exchangeHref, exchangesHref } from '@/lib/client/links';
import { exchangeLabel } from '@/lib/domain/exchanges';
import { refKey } from '@/lib/domain/keys';
import { parseTextFilter, useUrlFilters, useUrlText } from '@/lib/client/url-state';
import { GroupBadge } from '../ui/badges';
import { formatCount } from '../ui/format';
import { PageFrame } from '../ui/page-frame';
import { SearchInput } from '../ui/search-input';
import { ShowAllButton, useShowAll } from '../ui/show-all';
import { EXCHANGE_GROUPS } from '@/lib/domain/vocabulary';
import { GROUP_TITLES, groupExchanges } from './exchange-shaping';

const COLUMN_LIMIT = 200;

export function ExchangesPage() {
  const [filters, setFilters] = useUrlFilters(parseTextFilter, exchangesHref);
  const [text, setText] = useUrlText(filters.q, (q) => setFilters({ q }), 150);
  // The server filters; what it sent is narrowed at once while the next answer is on its way.
  const query = useExchanges({ q: filters.q });
  const items = query.data?.items;
  const groups = useMemo(() => groupExchanges(items ?? [], text), [items, text]);
  const multiVhost = useMemo(() => new Set((items ?? []).map((e) => e.vhost)).size > 1, [items]);
  const total = query.data?.total;

  return (
    <PageFrame
      title="Exchanges"
      subtitle={total === undefined ? undefined : filters.q ? `${formatCount(items?.length ?? 0)} of ${formatCount(total)} exchanges` : `${formatCount(total)} exchanges`}
      query={query}
    >
      {() => (
        <div className="space-y-3">
          <SearchInput label="filter exchanges" placeholder="filter by name, type, vhost…" value={text} onChange={setText} />
          <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-5">
            {EXCHANGE_GROUPS.map((g) => (
              <GroupColumn key={g} group={g} items={groups[g]} multiVhost={multiVhost} />
            ))}
          </div>
        </div>
      )}
    </PageFrame>
  );
}

function GroupColumn({ group, items, multiVhost }: { group: ExchangeGroup; items: Exchange[]; multiVhost: boolean }) {
  const list = useShowAll(items, COLUMN_LIMIT);
  const shown = list.shown;
  return (
    <section className="min-w-0 rounded-md border border-neutral-200 bg-white" data-testid={`exchange-group-${group}`}>
      <header className="flex items-center justify-between gap-2 border-b border-neutral-100 px-3 py-2">
        <h2 className="flex items-center gap-2 text-[13px] font-semibold">
          <GroupBadge group={group} />
          <span className="text-neutral-700">{GROUP_TITLES[group]}</span>
        </h2>
        <span className="tabular text-xs text-neutral-500">{formatCount(items.length)}</span>
      </header>
      {items.length === 0 ? (
        <div className="px-3 py-3 text-xs text-neutral-400">none</div>
      ) : (
        <ul className="divide-y divide-neutral-100">
          {shown.map((e) => (
            <li key={refKey(e.vhost, e.name)} className="flex items-start justify-between gap-2 px-3 py-1 text-[13px] hover:bg-neutral-50">
              <Link href={exchangeHref(e.vhost, e.name)} className="name-wrap min-w-0 text-accent-600 hover:underline">
                {exchangeLabel(e.name)}
                {multiVhost && <span className="ml-1 text-xs text-neutral-500">({e.vhost})</span>}
              </Link>
              <span className="shrink-0 whitespace-nowrap text-xs text-neutral-500" title={`${e.bindingCount} bindings`}>
                {e.type} · {formatCount(e.bindingCount)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {list.truncatable && <ShowAllButton {...list} />}
    </section>
  );
}
