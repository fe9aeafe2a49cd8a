'use client';
import { CartesianGrid, Legend, Line, LineChart, Area, AreaChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { HistorySample } from '@/lib/api/schemas';
import { formatCount, formatRate, RATES_UNAVAILABLE } from '../ui/format';
import { hasNoRates, toChartPoints } from './history';

const axis = { fontSize: 11, fill: '#737373' };

function NoData({ text }: { text: string }) {
  return <div className="flex h-full items-center justify-center text-[13px] text-neutral-500">{text}</div>;
}

export function RatesChart({ history, height = 180 }: { history: HistorySample[]; height?: number }) {
  if (history.length < 2) return <div style={{ height }}><NoData text="collecting history…" /></div>;
  if (hasNoRates(history)) return <div style={{ height }} title={RATES_UNAVAILABLE}><NoData text="n/a — rates unavailable: the broker collects no message statistics" /></div>;
  const data = toChartPoints(history);
  return (
    <div style={{ height }} data-testid="rates-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#f0f0f0" vertical={false} />
          <XAxis dataKey="label" tick={axis} minTickGap={40} />
          <YAxis tick={axis} width={48} tickFormatter={(v: number) => formatRate(v)} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? formatRate(v) : 'n/a')} isAnimationActive={false} />
          <Legend wrapperStyle={{ fontSize: 11 }} iconSize={8} />
          <Line type="monotone" dataKey="publish" stroke="#2857c9" dot={false} strokeWidth={1.5} isAnimationActive={false} />
          <Line type="monotone" dataKey="deliver" stroke="#0d9488" dot={false} strokeWidth={1.5} isAnimationActive={false} />
          <Line type="monotone" dataKey="ack" stroke="#7c3aed" dot={false} strokeWidth={1.5} isAnimationActive={false} />
          <Line type="monotone" dataKey="redeliver" stroke="#dc2626" dot={false} strokeWidth={1.5} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function BacklogChart({ history, height = 180 }: { history: HistorySample[]; height?: number }) {
  if (history.length < 2) return <div style={{ height }}><NoData text="collecting history…" /></div>;
  const data = toChartPoints(history);
  return (
    <div style={{ height }} data-testid="backlog-chart">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#f0f0f0" vertical={false} />
          <XAxis dataKey="label" tick={axis} minTickGap={40} />
          <YAxis tick={axis} width={48} tickFormatter={(v: number) => formatCount(v)} allowDecimals={false} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toLocaleString('en-US') : '–')} isAnimationActive={false} />
          <Legend wrapperStyle={{ fontSize: 11 }} iconSize={8} />
          <Area type="monotone" dataKey="ready" stackId="1" stroke="#d97706" fill="#fde68a" isAnimationActive={false} />
          <Area type="monotone" dataKey="unacknowledged" stackId="1" stroke="#dc2626" fill="#fecaca" isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
