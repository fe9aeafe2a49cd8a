'use client';
// The flow picture, drawn as SVG from the server's layout: boxes coloured by state, edges as
// thick as their message rate. A box with a page opens it; a group shows its members.
import { useRouter } from 'next/navigation';
import type { KeyboardEvent } from 'react';
import type { FlowEdge as PlacedEdge, FlowLayout, FlowNode as PlacedNode, FlowTarget } from '@/lib/api/schemas';
import { QUEUE_HEALTHS } from '@/lib/domain/vocabulary';
import { useCurrentCluster } from '@/lib/client/cluster';
import { exchangeHref, inCluster, processHref, queueHref, queuesHref } from '@/lib/client/links';
import { formatRate } from '../ui/format';
import { HEALTH_STYLE } from '../ui/health';
import { edgeWidth } from './flow-shaping';

function hrefOf(t: FlowTarget): string {
  switch (t.type) {
    case 'exchange':
      return exchangeHref(t.vhost, t.name);
    case 'queue':
      return queueHref(t.vhost, t.name);
    case 'process':
      return processHref(t.id);
    case 'queues':
      return queuesHref({ vhost: t.vhost, component: t.component, host: t.host });
  }
}

const KIND_FILL: Record<PlacedNode['kind'], string> = {
  producers: '#f5f5f5',
  exchange: '#eef3fd',
  queue: '#ffffff',
  'queue-group': '#ffffff',
  process: '#ffffff',
  'process-group': '#fafafa',
  host: '#ffffff',
  'host-group': '#fafafa',
};

function Node({ n, onOpen }: { n: PlacedNode; onOpen: (n: PlacedNode) => void }) {
  const style = n.state ? HEALTH_STYLE[n.state] : null;
  const actionable = n.target !== null || n.group !== null;
  const onKey = (e: KeyboardEvent) => {
    if (actionable && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      onOpen(n);
    }
  };
  const what = n.kind === 'queue-group' ? (n.group && n.target === null ? 'show these queues one by one' : '') : n.target ? 'open' : '';
  return (
    <g
      transform={`translate(${n.x},${n.y})`}
      role={actionable ? 'button' : undefined}
      tabIndex={actionable ? 0 : undefined}
      aria-label={`${n.label}${n.detail ? `, ${n.detail}` : ''}${what ? `: ${what}` : ''}`}
      onClick={actionable ? () => onOpen(n) : undefined}
      onKeyDown={onKey}
      className={actionable ? 'cursor-pointer focus:outline-none [&:focus>rect]:stroke-[3]' : undefined}
      data-node={n.id}
      data-state={n.state ?? undefined}
    >
      <rect
        width={n.width}
        height={n.height}
        rx={n.kind === 'exchange' ? 22 : 6}
        fill={style?.fill ?? KIND_FILL[n.kind]}
        stroke={style?.stroke ?? (n.kind === 'exchange' ? '#2857c9' : '#a3a3a3')}
        strokeWidth={n.kind.endsWith('group') ? 2 : 1.25}
        strokeDasharray={n.kind.endsWith('group') ? '5 3' : undefined}
      />
      <text x={10} y={18} fontSize={12} fontWeight={600} fill={style?.text ?? '#171717'}>
        {n.label}
      </text>
      {n.detail && (
        <text x={10} y={34} fontSize={11} fill="#525252">
          {n.detail}
        </text>
      )}
      <title>{`${n.label}${n.detail ? ` — ${n.detail}` : ''}${what ? ` (click: ${what})` : ''}`}</title>
    </g>
  );
}

const edgePath = (e: PlacedEdge) => e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');

function Edge({ e }: { e: PlacedEdge }) {
  if (e.points.length < 2) return null;
  const color = e.kind === 'idle' ? '#dc2626' : e.kind === 'runs-on' ? '#d4d4d4' : e.kind === 'publish' ? '#6b8fe0' : '#737373';
  return (
    <path
      d={edgePath(e)}
      data-edge={`${e.from}->${e.to}`}
      fill="none"
      stroke={color}
      strokeWidth={edgeWidth(e.rate)}
      strokeDasharray={e.kind === 'idle' ? '6 4' : undefined}
      markerEnd="url(#arrow)"
      opacity={0.85}
    >
      <title>{e.kind === 'idle' ? 'connected, but does not consume it' : e.rate === null ? e.kind : `${e.kind}: ${formatRate(e.rate)}`}</title>
    </path>
  );
}

/** Rates and the "not consuming" note, drawn above the boxes so none hides them. */
function EdgeLabel({ e }: { e: PlacedEdge }) {
  const text = e.kind === 'idle' ? 'connected, not consuming' : e.rate !== null && e.rate > 0 && e.kind !== 'runs-on' ? formatRate(e.rate) : null;
  if (!text || e.points.length < 2) return null;
  // On its last stretch, in the gap before the box it enters: one label per box there.
  const [a, b] = [e.points.at(-2)!, e.points.at(-1)!];
  return (
    <text x={(a.x + b.x) / 2} y={(a.y + b.y) / 2 - 5} fontSize={10} textAnchor="middle" fill={e.kind === 'idle' ? '#b91c1c' : '#404040'} paintOrder="stroke" stroke="#ffffff" strokeWidth={3}>
      {text}
    </text>
  );
}

export function FlowDiagram({ layout, onToggleGroup }: { layout: FlowLayout; onToggleGroup: (group: string) => void }) {
  const router = useRouter();
  const cluster = useCurrentCluster();
  const open = (n: PlacedNode) => {
    if (n.target) router.push(inCluster(cluster, hrefOf(n.target)));
    else if (n.group) onToggleGroup(n.group);
  };
  return (
    <div className="overflow-auto rounded-md border border-neutral-200 bg-white" data-testid="flow-diagram">
      <svg width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} role="img" aria-label="message flow">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#737373" />
          </marker>
        </defs>
        {layout.edges.map((e, i) => (
          <Edge key={i} e={e} />
        ))}
        {layout.nodes.map((n) => (
          <Node key={n.id} n={n} onOpen={open} />
        ))}
        {layout.edges.map((e, i) => (
          <EdgeLabel key={i} e={e} />
        ))}
      </svg>
    </div>
  );
}

export function FlowLegend() {
  return (
    <div className="flex flex-wrap items-center gap-3 text-xs text-neutral-600">
      {QUEUE_HEALTHS.map((s) => (
        <span key={s} className="flex items-center gap-1" title={HEALTH_STYLE[s].title}>
          <span className="inline-block h-3 w-4 rounded-sm border" style={{ background: HEALTH_STYLE[s].fill, borderColor: HEALTH_STYLE[s].stroke }} />
          {HEALTH_STYLE[s].label}
        </span>
      ))}
      <span>edges: thicker = more messages per second; dashed red = connected but not consuming; dashed box = a group (click to show its members)</span>
    </div>
  );
}
