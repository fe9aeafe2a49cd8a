import type { ExchangeGroup, QueueKind } from '@/lib/domain/vocabulary';

const KIND_STYLE: Record<QueueKind, { label: string; cls: string; title: string }> = {
  'rpc-topic': { label: 'topic', cls: 'bg-blue-50 text-blue-700 ring-blue-200', title: 'shared RPC topic queue (<topic>)' },
  'rpc-server': { label: 'server', cls: 'bg-indigo-50 text-indigo-700 ring-indigo-200', title: 'per-server RPC queue (<topic>.<server>)' },
  'rpc-fanout': { label: 'fanout', cls: 'bg-violet-50 text-violet-700 ring-violet-200', title: 'fanout queue (<topic>_fanout_<id>)' },
  reply: { label: 'reply', cls: 'bg-teal-50 text-teal-700 ring-teal-200', title: 'RPC reply queue (reply_<id>)' },
  notification: { label: 'notif', cls: 'bg-sky-50 text-sky-700 ring-sky-200', title: 'notification queue (<topic>.<priority>)' },
  other: { label: 'other', cls: 'bg-neutral-100 text-neutral-600 ring-neutral-200', title: 'not an oslo.messaging queue' },
};

const GROUP_STYLE: Record<ExchangeGroup, { label: string; cls: string }> = {
  component: { label: 'component', cls: 'bg-blue-50 text-blue-700 ring-blue-200' },
  reply: { label: 'reply', cls: 'bg-teal-50 text-teal-700 ring-teal-200' },
  fanout: { label: 'fanout', cls: 'bg-violet-50 text-violet-700 ring-violet-200' },
  builtin: { label: 'builtin', cls: 'bg-neutral-100 text-neutral-600 ring-neutral-200' },
  other: { label: 'other', cls: 'bg-stone-100 text-stone-600 ring-stone-200' },
};

const base = 'inline-flex items-center rounded px-1.5 py-px text-[11px] font-medium leading-4 ring-1 ring-inset whitespace-nowrap';

export function KindBadge({ kind }: { kind: QueueKind }) {
  const s = KIND_STYLE[kind] ?? KIND_STYLE.other;
  return (
    <span className={`${base} ${s.cls}`} title={s.title} data-kind={kind}>
      {s.label}
    </span>
  );
}

export const KIND_LABELS: Record<QueueKind, string> = {
  'rpc-topic': 'RPC topic (shared)',
  'rpc-server': 'RPC per-server',
  'rpc-fanout': 'RPC fanout',
  reply: 'reply',
  notification: 'notification',
  other: 'other',
};

export function GroupBadge({ group }: { group: ExchangeGroup }) {
  const s = GROUP_STYLE[group] ?? GROUP_STYLE.other;
  return <span className={`${base} ${s.cls}`}>{s.label}</span>;
}

export function Tag({ children, tone = 'neutral', title }: { children: React.ReactNode; tone?: 'neutral' | 'red' | 'amber' | 'green' | 'accent'; title?: string }) {
  const cls = {
    neutral: 'bg-neutral-100 text-neutral-700 ring-neutral-200',
    red: 'bg-red-50 text-red-700 ring-red-200',
    amber: 'bg-amber-50 text-amber-800 ring-amber-200',
    green: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
    accent: 'bg-accent-50 text-accent-700 ring-accent-100',
  }[tone];
  return (
    <span className={`${base} ${cls}`} title={title}>
      {children}
    </span>
  );
}
