'use client';
// The timeline of a cluster: what changed, when, filtered by host, binary, queue, kind and range.
// It reads the store only: it answers while the broker is down.
import { useCallback } from 'react';
import { HISTORY_RANGE_NAMES, type HistoryRange, isOneOf, JOURNAL_KINDS } from '@/lib/domain/vocabulary';
import { useJournal } from '@/lib/client/hooks';
import { type TimelineFilters, timelineHref } from '@/lib/client/links';
import { RangePicker } from './range-picker';
import { useUrlFilters, useUrlText } from '@/lib/client/url-state';
import { Card } from '../ui/card';
import { SearchInput, Select } from '../ui/search-input';
import { TimelineList } from './timeline-list';
import { span } from './time';

export function parseTimelineFilters(sp: URLSearchParams): TimelineFilters {
  const f: TimelineFilters = {};
  for (const key of ['host', 'binary', 'vhost', 'queue'] as const) {
    const v = sp.get(key);
    if (v) f[key] = v;
  }
  const kinds = (sp.get('kind') ?? '').split(',').filter((k) => isOneOf(JOURNAL_KINDS, k));
  if (kinds.length) f.kind = kinds;
  const from = Number(sp.get('from'));
  const to = Number(sp.get('to'));
  if (sp.get('from') && sp.get('to') && Number.isFinite(from) && Number.isFinite(to) && from < to) {
    f.from = from;
    f.to = to;
  } else {
    const range = sp.get('range');
    if (range && isOneOf(HISTORY_RANGE_NAMES, range)) f.range = range;
  }
  return f;
}

/** Kinds offered in the filter, by what an operator looks for. */
const KIND_CHOICES: { value: string; label: string }[] = [
  { value: 'consumer-lost,consumer-gained', label: 'consumers lost / gained' },
  { value: 'process-gone,process-appeared', label: 'processes gone / appeared' },
  { value: 'connection-closed,connection-opened', label: 'connections closed / opened' },
  { value: 'queue-declared,queue-deleted', label: 'queues declared / deleted' },
  { value: 'node-down,node-up,node-alarm,node-alarm-cleared', label: 'nodes and alarms' },
  { value: 'policy-changed', label: 'policies' },
  { value: 'finding-raised,finding-resolved', label: 'findings raised / resolved' },
  ...JOURNAL_KINDS.map((k) => ({ value: k, label: k })),
];

export function TimelinePage() {
  const [filters, setFilters] = useUrlFilters(parseTimelineFilters, timelineHref);
  const [host, setHost] = useUrlText(filters.host, (v) => setFilters({ host: v }), 300);
  const [binary, setBinary] = useUrlText(filters.binary, (v) => setFilters({ binary: v }), 300);
  const [queue, setQueue] = useUrlText(filters.queue, (v) => setFilters({ queue: v }), 300);
  const around = filters.from !== undefined && filters.to !== undefined ? { from: filters.from, to: filters.to } : null;
  const range = around ? undefined : (filters.range ?? '1h');
  const query = useJournal({ ...filters, range });
  const setRange = useCallback((r: HistoryRange) => setFilters({ range: r, from: undefined, to: undefined }), [setFilters]);
  const data = query.data;
  return (
    <div className="space-y-3">
      <div>
        <h1 className="text-lg font-semibold text-neutral-900">Timeline</h1>
        <div className="text-[13px] text-neutral-600">
          What changed on the broker, as the dashboard saw it: queues, consumers, connections, processes, nodes, policies, findings.
          {data && ` ${data.total.toLocaleString('en-US')} change${data.total === 1 ? '' : 's'} ${around ? span(around.from, around.to) : `in the last ${range}`}.`}
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <RangePicker label="timeline range" value={range} onChange={setRange}>
          {around && (
            <span className="ml-1 rounded bg-accent-50 px-2 py-1 text-xs text-accent-800" data-testid="timeline-window">
              {span(around.from, around.to)}
            </span>
          )}
        </RangePicker>
        <SearchInput label="filter by host" placeholder="host" value={host} onChange={setHost} className="w-44" />
        <SearchInput label="filter by binary" placeholder="binary (nova-compute)" value={binary} onChange={setBinary} className="w-52" />
        <SearchInput label="filter by queue" placeholder="queue" value={queue} onChange={setQueue} className="w-52" />
        <Select label="kind" value={filters.kind?.join(',') ?? ''} onChange={(v) => setFilters({ kind: v ? v.split(',') : undefined })} options={KIND_CHOICES} />
      </div>
      <Card bodyClassName="p-0">
        {query.error && !data ? (
          <p className="p-3 text-[13px] text-red-700">The timeline could not be read: {(query.error as Error).message}</p>
        ) : !data ? (
          <div className="h-40 animate-pulse bg-neutral-50" />
        ) : (
          <TimelineList data={data} empty="nothing changed in this range, for these filters" />
        )}
      </Card>
    </div>
  );
}
