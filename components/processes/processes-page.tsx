'use client';
import { useMemo } from 'react';
import type { Process } from '@/lib/domain/types';
import { useProcesses } from '@/lib/client/hooks';
import { useNow } from '@/lib/client/refresh';
import { parseTextFilter, useUrlFilters, useUrlText } from '@/lib/client/url-state';
import { processesHref } from '@/lib/client/links';
import { Tag } from '../ui/badges';
import { Empty, tableCls, td, tdNum, th, thNum, trCls } from '../ui/card';
import { formatAge, formatCount } from '../ui/format';
import { Rate } from '../ui/numbers';
import { PageFrame } from '../ui/page-frame';
import { SearchInput } from '../ui/search-input';
import { ShowAllButton, useShowAll } from '../ui/show-all';
import { hostSourceText, processMatches } from './labels';
import { ProcessLink } from './process-link';

const LIMIT = 500;

export function sortProcesses(list: Process[]): Process[] {
  const c = new Intl.Collator('en', { numeric: true });
  return [...list].sort(
    (a, b) => c.compare(a.binary ?? '~', b.binary ?? '~') || c.compare(a.host ?? a.peerHost, b.host ?? b.peerHost) || (a.pid ?? 0) - (b.pid ?? 0) || c.compare(a.id, b.id),
  );
}

export function ProcessesPage() {
  const query = useProcesses();
  const [filters, setFilters] = useUrlFilters(parseTextFilter, processesHref);
  const [text, setText] = useUrlText(filters.q, (q) => setFilters({ q }), 150);
  const now = useNow(5000);

  const items = query.data?.items;
  const rows = useMemo(() => sortProcesses((items ?? []).filter((p) => processMatches(p, text))), [items, text]);
  const list = useShowAll(rows, LIMIT);
  const shown = list.shown;

  return (
    <PageFrame title="Processes" subtitle={items ? `${formatCount(items.length)} client processes (one per binary:pid at a peer address)` : undefined} query={query}>
      {() => (
        <div className="space-y-2">
          <SearchInput label="filter processes" placeholder="binary, host, pid, address…" value={text} onChange={setText} />
          <div className="overflow-x-auto rounded-md border border-neutral-200 bg-white">
            {rows.length === 0 ? (
              <Empty>no process matches</Empty>
            ) : (
              <table className={tableCls}>
                <thead>
                  <tr>
                    <th className={th}>process</th>
                    <th className={th}>binary</th>
                    <th className={thNum}>pid</th>
                    <th className={th}>host</th>
                    <th className={th}>peer address</th>
                    <th className={th}>user</th>
                    <th className={thNum}>connections</th>
                    <th className={thNum}>queues consumed</th>
                    <th className={thNum}>reply queues</th>
                    <th className={thNum}>publish</th>
                    <th className={thNum}>deliver</th>
                    <th className={thNum}>connected</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((p) => (
                    <tr key={p.id} className={trCls}>
                      <td className={`${td} min-w-[14rem]`}>
                        <ProcessLink process={p} />
                        {!p.oslo && <span className="ml-1"><Tag title="no oslo connection_name: not an OpenStack service, or a tool">non-oslo</Tag></span>}
                      </td>
                      <td className={`${td} name-wrap`}>{p.binary ?? '–'}</td>
                      <td className={tdNum}>{p.pid ?? '–'}</td>
                      <td className={`${td} name-wrap`} title={hostSourceText(p.hostSource)}>
                        {p.host ?? <span className="text-neutral-400">unknown</span>}
                      </td>
                      <td className={`${td} name-wrap font-mono text-[12px]`}>{p.peerHost}</td>
                      <td className={`${td} name-wrap`}>{p.user}</td>
                      <td className={tdNum}>{p.connections.length}</td>
                      <td className={tdNum}>
                        {p.oslo && p.consumes.length === 0 ? <span className="text-amber-700" title="connected but consuming nothing">0</span> : p.consumes.length}
                      </td>
                      <td className={tdNum}>{p.replyQueues.length}</td>
                      <td className={tdNum}><Rate rates={p.rates} field="publish" /></td>
                      <td className={tdNum}><Rate rates={p.rates} field="deliver" /></td>
                      <td className={tdNum}>{p.connectedAt ? formatAge(p.connectedAt, now) : '–'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {list.truncatable && <ShowAllButton {...list} />}
          </div>
        </div>
      )}
    </PageFrame>
  );
}
