'use client';
// A subject's history over a range the operator picks (15 min … 14 days), read from the store:
// backlog, consumers and rates, a gap where the dashboard was not watching (never zeros), the
// subject's own events marked, and from any point "what changed around here".
import { useState } from 'react';
import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { HistoryResponse, JournalEntry, StoreStatus } from '@/lib/api/schemas';
import { useHistory } from '@/lib/client/hooks';
import { aroundHref, type HistoryQuery, type TimelineFilters } from '@/lib/client/links';
import type { HistoryRange } from '@/lib/domain/vocabulary';
import { Card } from '../ui/card';
import { formatCount, formatRate } from '../ui/format';
import { Link } from '../ui/link';
import { describeEntry, toneOf } from './journal-text';
import { RangePicker } from './range-picker';
import { moment, stepText, tickFormat } from './time';

const axis = { fontSize: 11, fill: '#737373' };
const MARK_COLOURS = { red: '#dc2626', green: '#16a34a', amber: '#d97706', neutral: '#737373' } as const;
/** More marks than this on one chart say nothing: the newest are drawn. */
const MAX_MARKS = 60;
const Y_AXIS_WIDTH = 48;
const RIGHT_MARGIN = 8;

export function HistoryPanel({
  title = 'History',
  series,
  around,
  rates = true,
  backlog = true,
  defaultRange = '1h',
}: {
  title?: string;
  series: Omit<HistoryQuery, 'range' | 'from' | 'to'>;
  /** How "what changed around here" narrows the timeline (this subject's host, queue …). */
  around: Omit<TimelineFilters, 'from' | 'to' | 'range'>;
  rates?: boolean;
  backlog?: boolean;
  defaultRange?: HistoryRange;
}) {
  const [range, setRange] = useState<HistoryRange>(defaultRange);
  const [picked, setPicked] = useState<number | null>(null);
  const query = useHistory({ ...series, range });
  const data = query.data;
  return (
    <div data-testid="history-panel" data-range={range} data-store={data?.store.state ?? 'loading'}>
      <Card
        title={title}
        actions={
          <RangePicker
            label="history range"
            compact
            value={range}
            onChange={(r) => {
              setRange(r);
              setPicked(null);
            }}
          />
        }
      >
        <div>
          {query.error && !data ? (
            <p className="text-[13px] text-red-700">History could not be read: {(query.error as Error).message}</p>
          ) : !data ? (
            <div className="h-[180px] animate-pulse rounded bg-neutral-50" />
          ) : data.store.state !== 'ok' ? (
            <StoreProblem store={data.store} />
          ) : data.points.length === 0 ? (
            <p className="py-6 text-center text-[13px] text-neutral-500">Nothing recorded in this range yet: the store keeps what the dashboard saw from when it started watching.</p>
          ) : (
            <Charts data={data} rates={rates} backlog={backlog} onPick={setPicked} />
          )}
          <div className="mt-2 flex flex-wrap items-center justify-between gap-2 text-xs text-neutral-500">
            <span>
              {data && data.store.state === 'ok' ? `every ${stepText(data.stepMs)}${recordedSince(data)} · ${data.events.length ? `${data.events.length} event${data.events.length === 1 ? '' : 's'} marked` : 'no event in this range'}` : ''}
              {' · click a point for what changed then'}
            </span>
            {picked !== null && (
              <Link data-testid="what-changed" className="font-medium text-accent-600 hover:underline" href={aroundHref(picked, around)}>
                What changed around {moment(picked)} →
              </Link>
            )}
          </div>
        </div>
      </Card>
    </div>
  );
}

/** " · recorded since 21:18" when the range begins before anything was recorded of it. */
function recordedSince(data: HistoryResponse): string {
  const first = data.points.find((p) => p.ready !== null || p.consumers !== null || p.publish !== null);
  return first && first.t - data.from > 2 * data.stepMs ? ` · recorded since ${moment(first.t)}` : '';
}

export function StoreProblem({ store }: { store: StoreStatus }) {
  if (store.state === 'off') return <p className="text-[13px] text-neutral-600" data-testid="store-problem">No history here: {store.reason}.</p>;
  return (
    <p className="text-[13px] text-amber-800" data-testid="store-problem">
      History is unavailable{store.since ? ` since ${moment(store.since)}` : ''}: {store.reason}. The live dashboard is not affected; what was stored is kept and writing resumes by itself.
    </p>
  );
}

function Charts({ data, rates, backlog, onPick }: { data: HistoryResponse; rates: boolean; backlog: boolean; onPick: (t: number) => void }) {
  const format = tickFormat(data.to - data.from);
  const points = data.points.map((p) => ({ ...p, total: p.ready === null || p.unacked === null ? null : p.ready + p.unacked }));
  const marks = data.events.slice(0, MAX_MARKS);
  const x = (
    <XAxis dataKey="t" type="number" scale="time" domain={[data.from, data.to]} tick={axis} tickFormatter={format} minTickGap={48} allowDataOverflow />
  );
  // The moment under the pointer, from where the plot lies (after the y axis, before the right
  // margin): a click in a gap, where there is no point to hit, is a moment too.
  const click = (e: React.MouseEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const fraction = (e.clientX - box.left - Y_AXIS_WIDTH) / (box.width - Y_AXIS_WIDTH - RIGHT_MARGIN);
    if (fraction >= 0 && fraction <= 1) onPick(Math.round(data.from + fraction * (data.to - data.from)));
  };
  const tooltip = <Tooltip labelFormatter={(t) => moment(Number(t))} formatter={(v, name) => [typeof v === 'number' ? (name === 'ready' || name === 'unacked' || name === 'consumers' ? v.toLocaleString('en-US') : formatRate(v)) : 'not watching', name]} isAnimationActive={false} />;
  const markLines = marks.map((e, i) => <ReferenceLine key={`${e.at}-${i}`} x={e.at} stroke={MARK_COLOURS[toneOf(e.kind)]} strokeDasharray="3 3" ifOverflow="hidden" />);
  return (
    <div className="space-y-2">
      {backlog && (
        <div style={{ height: 170 }} data-testid="history-backlog" onClick={click} className="cursor-crosshair [&_*]:outline-none">
          <ResponsiveContainer width="100%" height="100%">
            <AreaChart data={points} margin={{ top: 4, right: RIGHT_MARGIN, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#f0f0f0" vertical={false} />
              {x}
              <YAxis tick={axis} width={Y_AXIS_WIDTH} tickFormatter={(v: number) => formatCount(v)} allowDecimals={false} />
              {tooltip}
              <Legend wrapperStyle={{ fontSize: 11 }} iconSize={8} />
              <Area type="stepAfter" dataKey="ready" stackId="1" stroke="#d97706" fill="#fde68a" isAnimationActive={false} />
              <Area type="stepAfter" dataKey="unacked" stackId="1" stroke="#dc2626" fill="#fecaca" isAnimationActive={false} />
              <Line type="stepAfter" dataKey="consumers" stroke="#2857c9" dot={false} isAnimationActive={false} />
              {markLines}
            </AreaChart>
          </ResponsiveContainer>
        </div>
      )}
      {rates && (
        <div style={{ height: 150 }} data-testid="history-rates" onClick={click} className="cursor-crosshair [&_*]:outline-none">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={points} margin={{ top: 4, right: RIGHT_MARGIN, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#f0f0f0" vertical={false} />
              {x}
              <YAxis tick={axis} width={Y_AXIS_WIDTH} tickFormatter={(v: number) => formatRate(v)} />
              {tooltip}
              <Legend wrapperStyle={{ fontSize: 11 }} iconSize={8} />
              <Line type="monotone" dataKey="publish" stroke="#2857c9" dot={false} strokeWidth={1.5} isAnimationActive={false} />
              <Line type="monotone" dataKey="deliver" stroke="#0d9488" dot={false} strokeWidth={1.5} isAnimationActive={false} />
              <Line type="monotone" dataKey="ack" stroke="#7c3aed" dot={false} strokeWidth={1.5} isAnimationActive={false} />
              <Line type="monotone" dataKey="redeliver" stroke="#dc2626" dot={false} strokeWidth={1.5} isAnimationActive={false} />
              {markLines}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
      {marks.length > 0 && <EventList events={marks} />}
    </div>
  );
}

function EventList({ events }: { events: JournalEntry[] }) {
  return (
    <details className="text-xs">
      <summary className="cursor-pointer text-neutral-600">the events marked ({events.length})</summary>
      <ul className="mt-1 max-h-40 space-y-0.5 overflow-y-auto">
        {events.map((e, i) => (
          <li key={`${e.at}-${i}`} data-testid="history-event">
            <span className="tabular text-neutral-500">{moment(e.at)}</span> <span style={{ color: MARK_COLOURS[toneOf(e.kind)] }}>●</span> {describeEntry(e)}
          </li>
        ))}
      </ul>
    </details>
  );
}
