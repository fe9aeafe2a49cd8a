'use client';
import { useMemo, useState } from 'react';
import { processMatches } from '@/lib/domain/process';
import { useProcesses } from '@/lib/client/hooks';
import { useNow } from '@/lib/client/refresh';
import { parseTextFilter, useUrlFilters, useUrlText } from '@/lib/client/url-state';
import { processesHref } from '@/lib/client/links';
import { Tag } from '../ui/badges';
import { Empty, tableCls, td, tdNum, th, thNum, trCls } from '../ui/card';
import { formatAge, formatExact } from '../ui/format';
import { Rate } from '../ui/numbers';
import { PageFrame } from '../ui/page-frame';
import { SearchInput } from '../ui/search-input';
import { ShowAllButton } from '../ui/show-all';
import { hostSourceText } from './labels';
import { ProcessLink } from './process-link';

const LIMIT = 500;
const NO_LIMIT = 100_000;

export function ProcessesPage() {
  const [filters, setFilters] = useUrlFilters(parseTextFilter, processesHref);
  const [text, setText] = useUrlText(filters.q, (q) => setFilters({ q }), 150);
  const [all, setAll] = useState(false);
  const query = useProcesses({ q: filters.q, limit: all ? NO_LIMIT : LIMIT });
  const now = useNow(5000);
  const data = query.data;
  // Ahead of the server's answer, narrow what is shown to the text as typed.
  const shown = useMemo(() => (data?.items ?? []).filter((p) => processMatches(p, text)), [data, text]);

  return (
    <PageFrame title="Processes" subtitle={data ? `${formatExact(data.total)} client processes (one per binary:pid at a peer address)` : undefined} query={query}>
      {() => (
        <div className="space-y-2">
          <SearchInput label="filter processes" placeholder="binary, host, pid, address…" value={text} onChange={setText} />
          <div className="overflow-x-auto rounded-md border border-neutral-200 bg-white">
            {shown.length === 0 ? (
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
                      <td className={tdNum}>{p.connectionCount}</td>
                      <td className={tdNum}>
                        {p.oslo && p.consumeCount === 0 ? <span className="text-amber-700" title="connected but consuming nothing">0</span> : p.consumeCount}
                      </td>
                      <td className={tdNum}>{p.replyQueueCount}</td>
                      <td className={tdNum}><Rate rates={p.rates} field="publish" /></td>
                      <td className={tdNum}><Rate rates={p.rates} field="deliver" /></td>
                      <td className={tdNum}>{p.connectedAt ? formatAge(p.connectedAt, now) : '–'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {data && (all || data.filtered > data.items.length) && (
              <ShowAllButton all={all} total={data.filtered} toggle={() => setAll(!all)} />
            )}
          </div>
        </div>
      )}
    </PageFrame>
  );
}
