'use client';
import { useMemo, useState } from 'react';
import { processMatches } from '@/lib/domain/process';
import { useProcesses } from '@/lib/client/hooks';
import { useNow } from '@/lib/client/refresh';
import { useUrlFilters, useUrlText } from '@/lib/client/url-state';
import { processesHref } from '@/lib/client/links';
import { Tag } from '../ui/badges';
import { Empty, tableCls, td, tdNum, th, thNum, trCls } from '../ui/card';
import { formatAge, formatExact } from '../ui/format';
import { Rate } from '../ui/numbers';
import { PageFrame } from '../ui/page-frame';
import { SearchInput, Select } from '../ui/search-input';
import { ShowAllButton } from '../ui/show-all';
import { hostSourceText } from './labels';
import { ProcessLink } from './process-link';
import { HostLink } from '../hosts/host-link';

const LIMIT = 500;
const NO_LIMIT = 100_000;

/** `?q=` (text on any field) and `?vhost=` (connected in it). */
function parseProcessFilters(sp: URLSearchParams): { q?: string; vhost?: string } {
  const f: { q?: string; vhost?: string } = {};
  for (const key of ['q', 'vhost'] as const) {
    const v = sp.get(key);
    if (v) f[key] = v;
  }
  return f;
}

export function ProcessesPage() {
  const [filters, setFilters] = useUrlFilters(parseProcessFilters, processesHref);
  const [text, setText] = useUrlText(filters.q, (q) => setFilters({ q }), 150);
  const [all, setAll] = useState(false);
  const query = useProcesses({ q: filters.q, vhost: filters.vhost, limit: all ? NO_LIMIT : LIMIT });
  const now = useNow(5000);
  const data = query.data;
  // Ahead of the server's answer, narrow what is shown to the text as typed.
  const shown = useMemo(() => (data?.items ?? []).filter((p) => processMatches(p, text)), [data, text]);
  // A cloud with nova cells has a vhost per cell: then say where each process is connected.
  const vhosts = data?.vhosts ?? [];
  const multiVhost = vhosts.length > 1;

  return (
    <PageFrame title="Processes" subtitle={
        data
          ? `${data.filtered === data.total ? formatExact(data.total) : `${formatExact(data.filtered)} of ${formatExact(data.total)}`} client processes (one per binary:pid at a peer address)`
          : undefined
      } query={query}>
      {() => (
        <div className="space-y-2">
          <div className="flex flex-wrap items-center gap-2">
            <SearchInput label="filter processes" placeholder="binary, host, pid, address…" value={text} onChange={setText} />
            {(multiVhost || filters.vhost) && (
              <Select label="vhost" value={filters.vhost ?? ''} onChange={(v) => setFilters({ vhost: v || undefined })} options={vhosts.map((v) => ({ value: v, label: v }))} />
            )}
          </div>
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
                    {multiVhost && <th className={th}>vhosts</th>}
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
                        {p.host ? <HostLink host={p.host} /> : <span className="text-neutral-400">unknown</span>}
                      </td>
                      <td className={`${td} name-wrap font-mono text-[12px]`}>{p.peerHost}</td>
                      <td className={`${td} name-wrap`}>{p.user}</td>
                      {multiVhost && <td className={`${td} name-wrap`} data-testid="process-vhosts">{p.vhosts.join(', ')}</td>}
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
